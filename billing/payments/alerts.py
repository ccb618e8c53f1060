"""Staff alerts about money that needs a person: an overpayment, an amount
that differs from the order, a payment on a cancelled order.

They go through the outbox (core.outbox: written in the caller's transaction, sent
when it commits, retried by the beat job), so an alert is never lost.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message, outbox_queue


def alert_recipients(order) -> list[str]:
    """COMPTOIR_PAYMENT_ALERT_EMAILS (else Django's MANAGERS), and the
    order's personal manager; the superusers when nobody is named."""
    emails = list(settings.COMPTOIR_PAYMENT_ALERT_EMAILS) or [
        email for _name, email in settings.MANAGERS
    ]
    if order.manager_id and order.manager.email:
        emails.append(order.manager.email)
    if not emails:
        emails = list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))


def payment_alert_staff(payment) -> None:
    """Queue one email per recipient about ``payment``'s flag (once per flag)."""
    order = payment.order
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Payment to check on order %(number)s: %(flag)s") % {
            "number": order.number,
            "flag": payment.get_flag_display(),
        }
        body = render_to_string(
            "billing/payments/email/staff_alert.txt",
            {
                "order": order,
                "payment": payment,
                "admin_url": settings.COMPTOIR_BASE_URL.rstrip("/")
                + reverse("admin:billing_payment_change", args=[payment.pk]),
            },
        )
    outbox_queue(
        [
            outbox_message(
                about=order,
                ref=payment,
                channel=OutboxMessage.Channel.EMAIL,
                recipient=email,
                # Staff's alert: an answer to it is no message to the customer.
                reply_to="",
                subject=subject,
                body_text=body,
                dedupe_key=f"payment:{payment.pk}:{payment.flag}:{email}"[:200],
            )
            for email in alert_recipients(order)
        ]
    )

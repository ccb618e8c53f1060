"""Customer notifications through the outbox (DESIGN.md rule 6).

A change writes its messages in its own transaction; committing schedules a
worker to send them at once, and a beat job sends whatever is still pending
(the broker was down, the provider failed), so nothing is lost.
"""

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.sms import send_sms

Notification = get_model("order", "Notification")
logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def order_url(order) -> str:
    """Where the customer follows the order (guests get a signed link)."""
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    return settings.COMPTOIR_BASE_URL.rstrip("/") + path


def notify_transition(order, transition) -> list:
    """Write the email (and SMS where agreed) telling the customer of a move."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "transition": transition,
            "status": order.status_label,
            "order_url": order_url(order),
            "legal": settings.COMPTOIR_LEGAL,
        }
        subject = _("Order %(number)s: %(status)s") % {
            "number": order.number,
            "status": order.status_label,
        }
        messages = []
        if order.customer_email:
            messages.append(
                Notification(
                    order=order,
                    channel=Notification.Channel.EMAIL,
                    recipient=order.customer_email,
                    subject=subject,
                    body_text=render_to_string("orders/email/transition.txt", context),
                    body_html=render_to_string("orders/email/transition.html", context),
                    dedupe_key=f"transition:{transition.pk}:email",
                )
            )
        if order.sms_opt_in and order.notify_phone:
            messages.append(
                Notification(
                    order=order,
                    channel=Notification.Channel.SMS,
                    recipient=order.notify_phone,
                    body_text=render_to_string("orders/sms/transition.txt", context).strip(),
                    dedupe_key=f"transition:{transition.pk}:sms",
                )
            )
    return notifications_queue(messages)


def notifications_queue(messages) -> list:
    """Store messages in the caller's transaction and send them once it commits."""
    stored = []
    for message in messages:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            continue  # already queued by an earlier run
        stored.append(message)
        transaction.on_commit(functools.partial(_enqueue, message.pk))
    return stored


def _enqueue(notification_id: int) -> None:
    from orders.tasks import notification_send

    try:
        notification_send.delay(notification_id)
    except Exception:  # the broker is down: the beat job will send it
        logger.warning("Could not queue notification %s; left pending", notification_id)


def notification_send(*, notification_id: int) -> bool:
    """Send one pending message; True when sent. Safe to call twice or from
    two workers: the row is claimed under a lock that skips claimed rows."""
    with transaction.atomic():
        message = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _deliver(message)
        except Exception as exc:
            logger.warning("Notification %s failed: %s", message.pk, exc)
            message.last_error = str(exc)[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = Notification.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            return False
        message.status = Notification.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def notifications_send_pending(*, batch_size: int = 200) -> int:
    """The beat job's sweep: send what is still pending, oldest first."""
    ids = list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(notification_send(notification_id=pk) for pk in ids)


def _deliver(message) -> None:
    if message.channel == Notification.Channel.SMS:
        send_sms(to=message.recipient, body=message.body_text)
        return
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.recipient],
        headers={"X-Comptoir-Notification": str(message.pk)},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send()

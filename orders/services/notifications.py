"""Customer notifications through the outbox (DESIGN.md rule 6).

A change writes its messages in its own transaction; committing schedules a
worker to send them at once, and a beat job sends whatever is still pending
(the broker was down, the provider failed), so nothing is lost.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.payment_methods import PaymentMethod
from core.sms import send_sms
from orders.selectors import order_deadline, order_path
from orders.statuses import OrderStatus

from .message_groups import messages_superseded

Notification = get_model("order", "Notification")
logger = logging.getLogger(__name__)

# Retries back off 1, 2, 4... minutes, then hourly: about a day in all.
MAX_ATTEMPTS = 30
MAX_BACKOFF_MINUTES = 60


def order_url(order) -> str:
    return settings.COMPTOIR_BASE_URL.rstrip("/") + order_path(order)


def notify_transitions(moves) -> None:
    """Write the email (and SMS where agreed) telling each customer of a
    move; ``moves`` are (order, transition) pairs. A move's messages replace
    those of an earlier move of the same order in the same transaction
    (message_groups): one email per change, saying where the order stands."""
    messages, superseded = [], []
    for order, transition in moves:
        written = _transition_messages(order, transition)
        superseded += messages_superseded(order.pk, [m.dedupe_key for m in written])
        messages.extend(written)
    if superseded:
        Notification.objects.filter(
            dedupe_key__in=superseded, status=Notification.Status.PENDING
        ).delete()
    notifications_queue(messages)


def _transition_messages(order, transition) -> list:
    """The messages of one move; their bodies are rendered when sent."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = _("Order %(number)s: %(status)s") % {
            "number": order.number,
            "status": OrderStatus(transition.to_status).label,
        }
    messages = []
    if order.email:
        messages.append(
            Notification(
                order=order,
                transition=transition,
                channel=Notification.Channel.EMAIL,
                recipient=order.email,
                subject=subject,
                dedupe_key=f"transition:{transition.pk}:email",
            )
        )
    if order.sms_opt_in and order.notify_phone:
        messages.append(
            Notification(
                order=order,
                transition=transition,
                channel=Notification.Channel.SMS,
                recipient=order.notify_phone,
                dedupe_key=f"transition:{transition.pk}:sms",
            )
        )
    return messages


def order_next_step_context(order) -> dict:
    """What an email about the order says comes next: the payment method
    and the one deadline (orders.selectors.order_deadline)."""
    method = PaymentMethod.of(order.payment_method)
    deadline = order_deadline(order)
    return {
        "method": method,
        "deadline": deadline,
        "awaits_transfer": method == PaymentMethod.TRANSFER and deadline is not None,
    }


def render_transition_message(message) -> tuple[str, str]:
    """Text and HTML bodies of a move's message, in the order's language."""
    order, transition = message.order, message.transition
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "transition": transition,
            "to": transition.to_status,
            "status": OrderStatus(transition.to_status).label,
            "order_url": order_url(order),
            "legal": settings.COMPTOIR_LEGAL,
            **order_next_step_context(order),
        }
        if message.channel == Notification.Channel.SMS:
            return render_to_string("orders/sms/transition.txt", context).strip(), ""
        return (
            render_to_string("orders/email/transition.txt", context),
            render_to_string("orders/email/transition.html", context),
        )


def notifications_queue(messages) -> None:
    """Store messages in the caller's transaction; once it commits, a worker
    sends them. A message already queued (same dedupe key) is skipped."""
    if not messages:
        return
    Notification.objects.bulk_create(messages, ignore_conflicts=True)
    transaction.on_commit(_enqueue_sweep)


def _enqueue_sweep() -> None:
    from orders.tasks import notifications_send_pending

    try:
        notifications_send_pending.delay()
    except Exception:  # the broker is down: the beat job will send them
        logger.warning("Could not queue the notification sweep; messages left pending")


def notification_send(*, notification_id: int) -> bool:
    """Send one pending message; True when sent. Safe to call twice or from
    two workers: the row is claimed under a lock that skips claimed rows."""
    with transaction.atomic():
        message = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("order", "transition", "order__manager")
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
            backoff = min(2 ** (message.attempts - 1), MAX_BACKOFF_MINUTES)
            message.next_attempt_at = timezone.now() + timedelta(minutes=backoff)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = Notification.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        message.status = Notification.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(
            update_fields=["attempts", "last_error", "status", "sent_at", "body_text", "body_html"]
        )
        return True


def notifications_send_pending(*, batch_size: int = 200) -> int:
    """The beat job's sweep: send what is still pending, oldest first."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    ids = list(
        Notification.objects.filter(due, status=Notification.Status.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(notification_send(notification_id=pk) for pk in ids)


def _deliver(message) -> None:
    if not message.body_text and message.transition_id:
        message.body_text, message.body_html = render_transition_message(message)
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

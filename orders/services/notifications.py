"""Customer notifications through the outbox (core.outbox, DESIGN.md rule 6).

A change writes its messages in its own transaction; committing asks a
worker to send them at once, and a beat job sends whatever is still pending
(the broker was down, the provider failed), so nothing is lost.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.outbox.models import OutboxMessage
from core.outbox.renderers import Content, renderer_register
from core.outbox.services import outbox_message, outbox_queue
from core.payment_methods import PaymentMethod
from orders.selectors import order_deadline, order_path, transition_after_change
from orders.statuses import OrderStatus

from .message_groups import messages_superseded

OrderTransition = get_model("order", "OrderTransition")

# A move's message is rendered when sent, from the move itself.
TRANSITION_RENDERER = "order.transition"


def order_url(order) -> str:
    return settings.COMPTOIR_BASE_URL.rstrip("/") + order_path(order)


# Orders being placed: their moves write no email, the confirmation of the
# order says it all (orders.utils.OrderCreator); their SMS are kept.
_PLACING: ContextVar[frozenset[int]] = ContextVar("comptoir_orders_placing", default=frozenset())


@contextmanager
def move_emails_replaced_by_confirmation(order_id: int) -> Iterator[None]:
    """While placing an order: its moves (reserved, in progress) write no
    email to the outbox, instead of writing them and deleting them for the
    one confirmation email."""
    token = _PLACING.set(_PLACING.get() | {order_id})
    try:
        yield
    finally:
        _PLACING.reset(token)


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
        OutboxMessage.objects.filter(
            dedupe_key__in=superseded, status=OutboxMessage.Status.PENDING
        ).delete()
    outbox_queue(messages)


def _transition_messages(order, transition) -> list:
    """The messages of one move; their bodies are rendered when sent."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = _("Order %(number)s: %(status)s") % {
            "number": order.number,
            "status": OrderStatus(transition.to_status).label,
        }
    messages = []
    if order.email and order.pk not in _PLACING.get():
        messages.append(
            outbox_message(
                about=order,
                ref=transition,
                renderer=TRANSITION_RENDERER,
                payload={"transition_id": transition.pk},
                channel=OutboxMessage.Channel.EMAIL,
                recipient=order.email,
                subject=subject,
                dedupe_key=f"transition:{transition.pk}:email",
            )
        )
    if order.sms_opt_in and order.notify_phone:
        messages.append(
            outbox_message(
                about=order,
                ref=transition,
                renderer=TRANSITION_RENDERER,
                payload={"transition_id": transition.pk},
                channel=OutboxMessage.Channel.SMS,
                recipient=order.notify_phone,
                dedupe_key=f"transition:{transition.pk}:sms",
            )
        )
    return messages


def order_next_step_context(order) -> dict:
    """What an email about the order says comes next: the payment method,
    the one deadline (orders.selectors.order_deadline), and whether the
    customer is a guest (no account: their order's link instead)."""
    method = PaymentMethod.of(order.payment_method)
    deadline = order_deadline(order)
    return {
        "method": method,
        "deadline": deadline,
        "awaits_transfer": method == PaymentMethod.TRANSFER and deadline is not None,
        "guest": not order.user_id,
    }


@renderer_register(TRANSITION_RENDERER, label=gettext_lazy("Order update"))
def render_transition_message(message) -> Content:
    """Text and HTML bodies of a move's message, in the order's language."""
    transition = OrderTransition.objects.select_related("order", "order__manager").get(
        pk=message.payload["transition_id"]
    )
    order = transition.order
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "transition": transition,
            "to": transition.to_status,
            "status": OrderStatus(transition.to_status).label,
            "order_url": order_url(order),
            "total_changed": transition_after_change(transition),
            "legal": settings.COMPTOIR_LEGAL,
            **order_next_step_context(order),
        }
        if message.channel == OutboxMessage.Channel.SMS:
            return Content(text=render_to_string("orders/sms/transition.txt", context).strip())
        return Content(
            text=render_to_string("orders/email/transition.txt", context),
            html=render_to_string("orders/email/transition.html", context),
            headers={"X-Comptoir-Order": order.number},
        )

"""Time-driven moves, run by Celery beat.

Each job takes due orders in bounded batches with ``skip_locked`` (two
workers share the work instead of doing it twice), re-checks that the order
is still due inside the lock, and calls the same transition as a person
would. Running a job twice changes nothing more.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from oscar.core.loading import get_model

from core.bulk import update_in_groups
from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message, outbox_queue
from core.payment_methods import PaymentMethod
from orders.exceptions import OrderError
from orders.selectors import order_deadline
from orders.statuses import OPEN_UNSHIPPED, OrderStatus

from .notifications import order_url
from .transitions import cancel_locked, reserve_locked

Order = get_model("order", "Order")
logger = logging.getLogger(__name__)


def _run_in_batches(due, handle, *, batch_size: int) -> int:
    """Lock due orders batch by batch (skipping those another worker holds)
    and hand each batch to ``handle``. Should one order refuse, the batch is
    redone order by order, so one failure skips one order only."""
    done, failed = 0, set[int]()
    while True:
        with transaction.atomic():
            batch = list(
                due.exclude(pk__in=failed)
                .select_for_update(skip_locked=True)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            try:
                with transaction.atomic():
                    handle(batch)
                done += len(batch)
                continue
            except OrderError:
                pass
            for order in batch:
                try:
                    with transaction.atomic():
                        handle([order])
                    done += 1
                except OrderError:
                    logger.exception("Timed job skipped order %s", order.number)
                    failed.add(order.pk)


# The orders whose reservation runs out at reserved_until, as
# orders.selectors.order_deadline tells their customer: a reservation (an
# unpaid transfer's is its payment deadline, cancelled by
# transfers_cancel_unpaid), and an online payment confirmed but not made.
_UNPAID_TRANSFER = Q(payment_method=PaymentMethod.TRANSFER, paid_at__isnull=True)
_ONLINE = [method.value for method in PaymentMethod if method.is_online]
_EXPIRING = (Q(status=OrderStatus.RESERVED) & ~_UNPAID_TRANSFER) | Q(
    status=OrderStatus.IN_PROGRESS, paid_at__isnull=True, payment_method__in=_ONLINE
)


def reservations_expire(*, batch_size: int = 200) -> int:
    """Cancel reservations not confirmed in time; their stock goes back.
    An order paid online (card, PayPal) keeps its time limit after the
    customer confirms it, until it is paid."""
    now = timezone.now()
    due = Order.objects.filter(reserved_until__lt=now).filter(_EXPIRING)
    note = format_lazy(
        gettext_lazy("Reservation not confirmed within {days} days."),
        days=settings.COMPTOIR_RESERVATION_DAYS,
    )

    def handle(orders):
        cancel_locked(*orders, source="beat:expire_reservations", note=note)

    return _run_in_batches(due, handle, batch_size=batch_size)


def orders_reserve_waiting(*, batch_size: int = 50, older_than_minutes: int = 2) -> int:
    """Reserve orders left in "new" (an edit whose reservation task was
    lost while the broker was down)."""
    due = Order.objects.filter(
        status=OrderStatus.NEW,
        date_placed__lt=timezone.now() - timedelta(minutes=older_than_minutes),
    )

    def handle(orders):
        for order in orders:
            reserve_locked(order, source="beat:reserve_waiting")

    return _run_in_batches(due, handle, batch_size=batch_size)


def _unpaid_transfers(placed_before):
    return Order.objects.filter(
        status__in=OPEN_UNSHIPPED,
        payment_method=PaymentMethod.TRANSFER,
        paid_at__isnull=True,
        date_placed__lt=placed_before,
    )


def transfers_cancel_unpaid(*, batch_size: int = 200) -> int:
    days = settings.COMPTOIR_TRANSFER_CANCEL_DAYS
    due = _unpaid_transfers(timezone.now() - timedelta(days=days))
    note = format_lazy(gettext_lazy("Bank transfer not received within {days} days."), days=days)

    def handle(orders):
        cancel_locked(*orders, source="beat:cancel_unpaid_transfers", note=note)

    return _run_in_batches(due, handle, batch_size=batch_size)


def transfers_remind_unpaid(*, batch_size: int = 200) -> int:
    days = settings.COMPTOIR_TRANSFER_REMINDER_DAYS
    due = _unpaid_transfers(timezone.now() - timedelta(days=days)).filter(
        transfer_reminded_at__isnull=True
    )

    def handle(orders):
        now = timezone.now()
        for order in orders:
            order.transfer_reminded_at = now
        update_in_groups(Order, orders, ["transfer_reminded_at"])
        outbox_queue([_transfer_reminder(o) for o in orders if o.email])

    return _run_in_batches(due, handle, batch_size=batch_size)


def _transfer_reminder(order):
    from django.template.loader import render_to_string

    with override(order.language or settings.LANGUAGE_CODE):
        deadline = order_deadline(order)
        context = {
            "order": order,
            "deadline": deadline,
            "order_url": order_url(order),
            "legal": settings.COMPTOIR_LEGAL,
        }
        return outbox_message(
            about=order,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=order.email,
            subject=_("Order %(number)s: your bank transfer is awaited") % {"number": order.number},
            body_text=render_to_string("orders/email/transfer_reminder.txt", context),
            dedupe_key=f"order:{order.pk}:transfer-reminder",
        )

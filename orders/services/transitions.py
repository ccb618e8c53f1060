"""The order state machine: one function per move, each locking the order,
checking the move under the lock, changing it and recording who did it.

Public functions take an order id. The ``*_locked`` variants take an order
already locked by the caller (the beat jobs, which lock with skip_locked).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class, get_model

from core.bulk import update_in_groups
from core.payment_methods import PaymentMethod
from orders.exceptions import InvalidTransition
from orders.selectors import (
    CANCEL,
    CONFIRM,
    order_commits_itself,
    order_customer_refusal,
    order_picking_refusal,
    transfer_deadline,
)
from orders.signals import order_moved
from orders.statuses import TRANSITIONS, OrderStatus
from shop.customer.selectors import customer_profile

from . import notifications, stock

Order = get_model("order", "Order")
OrderTransition = get_model("order", "OrderTransition")
Line = get_model("order", "Line")
Selector = get_class("partner.strategy", "Selector")

CUSTOMER = "customer"
STAFF = "staff"
SYSTEM = "system"


def lock_order(order_id: int):
    return Order.objects.select_for_update().get(pk=order_id)


def check_transition(order, *, to: str) -> None:
    if to not in TRANSITIONS.get(order.status, frozenset()):
        raise InvalidTransition(order, to)


def apply_transitions(
    orders, *, to: str, by=None, source: str, note: str | Promise = "", fields=()
):
    """Move locked orders to ``to`` and record each move; customers are
    notified. Works on a batch so that the timed jobs pay a fixed number of
    queries per batch, not per order."""
    for order in orders:
        check_transition(order, to=to)
    moves = OrderTransition.objects.bulk_create(
        OrderTransition(
            order=order,
            from_status=order.status,
            to_status=to,
            by=by,
            source=source,
            note=_in_customer_language(order, note),
        )
        for order in orders
    )
    from_statuses = [order.status for order in orders]
    for order in orders:
        order.status = to
    update_in_groups(Order, orders, ["status", *fields])
    notifications.notify_transitions(list(zip(orders, moves, strict=True)))
    for order, move, from_status in zip(orders, moves, from_statuses, strict=True):
        order_moved.send(
            sender=Order, order=order, transition=move, from_status=from_status, to_status=to
        )
    return moves


def _in_customer_language(order, note: str | Promise) -> str:
    """A note the system writes (lazy) is kept in the customer's language;
    what a person typed is kept as typed."""
    if isinstance(note, Promise):
        with translation.override(order.language or settings.LANGUAGE_CODE):
            return str(note)
    return note


def apply_transition(order, **kwargs):
    return apply_transitions([order], **kwargs)[0]


def _held_lines(*orders) -> list:
    """Just what releasing or consuming stock needs, for many orders at once."""
    return list(
        Line.objects.filter(order__in=orders, num_allocated__gt=0)
        .only("pk", "order_id", "stockrecord_id", "num_allocated", "lead_time_days")
        .order_by("pk")
    )


def _lines(*orders) -> list:
    return list(
        Line.objects.filter(order__in=orders)
        .select_related("stockrecord", "product__product_class", "product__parent__product_class")
        .order_by("pk")
    )


def _differs_from_what_was_seen(order, lines) -> bool:
    """True when we serve fewer units from stock than the customer saw
    available, or a catalogue price moved since they ordered."""
    strategy = Selector().strategy()
    for line in lines:
        seen = line.seen_num_available
        if seen is not None and line.num_allocated < min(line.quantity, seen):
            return True
        if line.stockrecord_id and line.product_id:
            price = strategy.fetch_for_product(line.product, line.stockrecord).price
            if price.exists and price.incl_tax != line.unit_price_incl_tax:
                return True
    return False


def order_reserve(*, order_id: int, by=None, source: str = SYSTEM, note: str = ""):
    """new → reserved: hold stock for every line, for COMPTOIR_RESERVATION_DAYS
    (an unpaid bank transfer: until its payment deadline, so the customer is
    told one date).

    Runs when the order is placed, before any payment, and after an edit.
    When nothing differs from what the customer saw and the order commits
    itself (paid already, or on deferred terms: an institution's purchase
    order), it goes on; any other order waits in reserved, editable and
    cancellable, for the customer's confirmation or its payment
    (``order_commits_itself``, DESIGN.md).
    """
    with transaction.atomic():
        order = lock_order(order_id)
        reserve_locked(order, by=by, source=source, note=note)
    return order


def reserve_locked(order, *, by=None, source: str = SYSTEM, note: str | Promise = ""):
    check_transition(order, to=OrderStatus.RESERVED)
    lines = _lines(order)
    stock.stock_reserve_lines(lines=lines)
    order.reserved_until = _reservation_end(order)
    order.confirmation_required = _differs_from_what_was_seen(order, lines)
    apply_transition(
        order,
        to=OrderStatus.RESERVED,
        by=by,
        source=source,
        note=note,
        fields=["reserved_until", "confirmation_required"],
    )
    if order_commits_itself(order) and not order.confirmation_required:
        _confirm(order, by=None, source=SYSTEM, note=gettext_lazy("Nothing changed: confirmed."))


def _reservation_end(order):
    if order.payment_method == PaymentMethod.TRANSFER and not order.is_paid:
        return transfer_deadline(order)
    return timezone.now() + timedelta(days=settings.COMPTOIR_RESERVATION_DAYS)


def default_manager():
    username = settings.COMPTOIR_DEFAULT_MANAGER_USERNAME
    users = get_user_model().objects.filter(is_staff=True, is_active=True)
    if username:
        return users.filter(username=username).first()
    return users.order_by("pk").first()


def manager_for_user(user):
    """The staff member on the customer's account, else the shop's default."""
    profile = customer_profile(user)
    return (profile and profile.manager) or default_manager()


def _in_hand(order) -> bool:
    return not any(line.num_to_order for line in _lines(order))


def _customer_check(order, action: str, to: str) -> None:
    """The customer's own rule (orders.selectors), checked under the lock."""
    refusal = order_customer_refusal(order, action)
    if refusal is not None:
        raise InvalidTransition(order, to, refusal)


def _confirm(order, *, by, source, note):
    order.confirmation_required = False
    order.manager = order.manager or manager_for_user(order.user)
    apply_transition(
        order,
        to=OrderStatus.IN_PROGRESS,
        by=by,
        source=source,
        note=note,
        fields=["confirmation_required", "manager"],
    )
    if order.is_paid and _in_hand(order):
        apply_transition(
            order,
            to=OrderStatus.PICKING,
            by=None,
            source=SYSTEM,
            note=gettext_lazy("Payment received."),
        )


def confirm_locked(order, *, by=None, source: str = STAFF, note: str | Promise = ""):
    """reserved → in progress for an order the caller locked (a replacement
    staff decided on: orders.services.placing)."""
    check_transition(order, to=OrderStatus.IN_PROGRESS)
    _confirm(order, by=by, source=source, note=note)


def order_confirm(*, order_id: int, by=None, source: str = STAFF, note: str = ""):
    """reserved → in progress: the customer commits to the order as reserved
    (or staff agree to go on); their personal manager takes the order. A
    card or PayPal order with nothing to accept needs no confirmation: it
    goes on by itself once paid."""
    with transaction.atomic():
        order = lock_order(order_id)
        check_transition(order, to=OrderStatus.IN_PROGRESS)
        if source == CUSTOMER:
            _customer_check(order, CONFIRM, OrderStatus.IN_PROGRESS)
        _confirm(order, by=by, source=source, note=note)
    return order


def order_reopen(*, order_id: int, by=None, source: str = CUSTOMER, note: str = ""):
    """reserved → new: the customer edits the unpaid order; its stock goes back."""
    with transaction.atomic():
        order = lock_order(order_id)
        reopen_locked(order, by=by, source=source, note=note)
    return order


def reopen_locked(order, *, by=None, source: str = CUSTOMER, note: str | Promise = ""):
    check_transition(order, to=OrderStatus.NEW)
    if order.is_paid:
        raise InvalidTransition(order, OrderStatus.NEW, _("A paid order can no longer be changed."))
    stock.stock_release_lines(lines=_held_lines(order))
    order.reserved_until = None
    apply_transition(
        order, to=OrderStatus.NEW, by=by, source=source, note=note, fields=["reserved_until"]
    )


def order_allocate_arrivals(*, order_id: int) -> int:
    """Hold stock that has come in for the lines still waiting ("to order");
    returns the number of lines now complete."""
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status not in (OrderStatus.RESERVED, OrderStatus.IN_PROGRESS):
            raise InvalidTransition(order, OrderStatus.PICKING)
        lines = [line for line in _lines(order) if line.num_to_order > 0]
        stock.stock_reserve_lines(lines=lines)
    return sum(1 for line in lines if line.num_to_order == 0)


def order_payment_received(*, order_id: int, by=None, source: str = SYSTEM):
    """The payments now cover the order (billing calls this). A reservation
    with nothing to accept confirms itself; an order in progress with every
    unit in hand goes to picking. A cancelled order is not revived: billing
    must refund it."""
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status == OrderStatus.CANCELLED:
            raise InvalidTransition(
                order,
                OrderStatus.PICKING,
                _("The order was cancelled: the payment must be refunded."),
            )
        if order.paid_at is None:
            order.paid_at = timezone.now()
            order.save(update_fields=["paid_at"])
        note = gettext_lazy("Payment received.")
        if order.status == OrderStatus.RESERVED and not order.confirmation_required:
            _confirm(order, by=by, source=source, note=note)
        elif order.status == OrderStatus.IN_PROGRESS and _in_hand(order):
            apply_transition(order, to=OrderStatus.PICKING, by=by, source=source, note=note)
    return order


def order_start_picking(*, order_id: int, by=None, source: str = STAFF, note: str = ""):
    """in progress → picking: paid (or deferred payment agreed) and every unit in hand."""
    with transaction.atomic():
        order = lock_order(order_id)
        check_transition(order, to=OrderStatus.PICKING)
        refusal = order_picking_refusal(order, _lines(order))
        if refusal is not None:
            raise InvalidTransition(order, OrderStatus.PICKING, refusal)
        apply_transition(order, to=OrderStatus.PICKING, by=by, source=source, note=note)
    return order


def order_ship(
    *,
    order_id: int,
    by=None,
    carrier: str = "",
    tracking_number: str = "",
    pickup: bool = False,
    source: str = STAFF,
    note: str = "",
):
    """picking → shipped: handed to a carrier with a tracking number, or
    ready for pickup at the shop. The held units leave the stock."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    with transaction.atomic():
        order = lock_order(order_id)
        check_transition(order, to=OrderStatus.SHIPPED)
        if not pickup and not (carrier and tracking_number):
            raise InvalidTransition(
                order,
                OrderStatus.SHIPPED,
                _("Give the carrier and the tracking number, or choose pickup."),
            )
        stock.stock_consume_lines(lines=_held_lines(order))
        order.carrier, order.tracking_number, order.ready_for_pickup = (
            ("", "", True) if pickup else (carrier, tracking_number, False)
        )
        apply_transition(
            order,
            to=OrderStatus.SHIPPED,
            by=by,
            source=source,
            note=note,
            fields=["carrier", "tracking_number", "ready_for_pickup"],
        )
    return order


def order_deliver(*, order_id: int, by=None, source: str = STAFF, note: str = ""):
    """shipped → delivered: received by the customer or collected."""
    with transaction.atomic():
        order = lock_order(order_id)
        apply_transition(order, to=OrderStatus.DELIVERED, by=by, source=source, note=note)
    return order


def cancel_locked(*orders, by=None, source: str, note: str | Promise = ""):
    """Cancel orders the caller has locked; every held unit goes back."""
    for order in orders:
        check_transition(order, to=OrderStatus.CANCELLED)
        if source == CUSTOMER:
            _customer_check(order, CANCEL, OrderStatus.CANCELLED)
    stock.stock_release_lines(lines=_held_lines(*orders))
    for order in orders:
        order.reserved_until = None
    return apply_transitions(
        list(orders),
        to=OrderStatus.CANCELLED,
        by=by,
        source=source,
        note=note,
        fields=["reserved_until"],
    )


def order_cancel(*, order_id: int, by=None, source: str = STAFF, note: str = ""):
    with transaction.atomic():
        order = lock_order(order_id)
        cancel_locked(order, by=by, source=source, note=note)
    return order

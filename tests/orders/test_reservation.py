import pytest
from django.core import mail
from django.test import override_settings

from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import (
    StockRecord,
    make_order,
    make_product,
    message_move,
    order_moves_messages,
    sent_message,
    stock_of,
)

S = OrderStatus
pytestmark = pytest.mark.django_db


def test_reserve_holds_stock_and_marks_the_rest_to_order():
    """Given 3 units in stock, when an order for 5 is reserved, then 3 are
    held, 2 are to order with the supplier's lead time, for 3 days."""
    product = make_product(stock=3, lead_time_days=12)
    order = make_order(lines=[(product, 5, 5)], payment_method="card")

    t.order_reserve(order_id=order.pk)

    order.refresh_from_db()
    line = order.lines.get()
    assert order.status == S.RESERVED
    assert (line.num_allocated, line.num_to_order, line.lead_time_days) == (3, 2, 12)
    assert stock_of(product) == (3, 3)
    held = order.reserved_until - order.transitions.get().created_at
    assert 3 * 86400 - 5 < held.total_seconds() <= 3 * 86400
    assert order.confirmation_required  # saw 5 available, got 3


def test_an_accepted_purchase_order_is_a_commitment_and_goes_on():
    """A mandate order (an institution's purchase order) with nothing
    differing confirms itself; its payment comes after the invoice."""
    product = make_product(stock=10)
    order = make_order(lines=[(product, 2, 10)], payment_method="mandate")

    t.order_reserve(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS
    assert [(x.from_status, x.to_status) for x in order.transitions.all()] == [
        (S.NEW, S.RESERVED),
        (S.RESERVED, S.IN_PROGRESS),
    ]
    assert order.transitions.last().source == "system"


@pytest.mark.parametrize("method", ["transfer", "cheque", "counter"])
def test_an_unpaid_order_waits_for_the_customer_or_its_payment(method):
    product = make_product(stock=10)
    order = make_order(lines=[(product, 2, 10)], payment_method=method)
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.confirmation_required) == (S.RESERVED, False)


def test_a_transfer_arriving_moves_the_reserved_order_on():
    """Given a transfer order reserved and in hand, when its payment is
    recorded, then it goes on to picking, with one email for both moves."""
    from billing.payments.services import record_payment

    product = make_product(stock=10)
    order = make_order(lines=[(product, 2, 10)], payment_method="transfer")
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    before = order_moves_messages(order).count()

    record_payment(order_id=order.pk, amount=order.total_incl_tax, method="transfer")

    order.refresh_from_db()
    assert order.status == S.PICKING
    assert order_moves_messages(order).count() == before + 1
    assert message_move(sent_message(order)).to_status == S.PICKING


def test_unpaid_card_order_waits_in_reserved():
    product = make_product(stock=10)
    order = make_order(lines=[(product, 2, 10)], payment_method="card")
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.confirmation_required) == (S.RESERVED, False)


def test_a_price_change_asks_for_confirmation():
    product = make_product(stock=10, price="10.00")
    order = make_order(lines=[(product, 1, 10)], payment_method="transfer")
    StockRecord.objects.filter(product=product).update(price="11.00")

    t.order_reserve(order_id=order.pk)

    order.refresh_from_db()
    assert (order.status, order.confirmation_required) == (S.RESERVED, True)
    assert "confirm" in sent_message(order).body_text
    assert "confirm" in mail.outbox[-1].body


def test_cancel_and_reopen_release_every_held_unit():
    product = make_product(stock=4)
    order = make_order(lines=[(product, 3)])
    t.order_reserve(order_id=order.pk)
    assert stock_of(product) == (4, 3)

    t.order_reopen(order_id=order.pk)
    assert stock_of(product) == (4, 0)
    t.order_reserve(order_id=order.pk)
    assert stock_of(product) == (4, 3)
    t.order_cancel(order_id=order.pk, source=t.CUSTOMER)
    assert stock_of(product) == (4, 0)


def test_shipping_takes_the_held_units_out_of_stock():
    product = make_product(stock=4)
    order = make_order(lines=[(product, 3)], payment_method="mandate")
    t.order_reserve(order_id=order.pk)
    t.order_start_picking(order_id=order.pk)
    t.order_ship(order_id=order.pk, carrier="Chronopost", tracking_number="XY123")
    assert stock_of(product) == (1, 0)


def test_products_without_stock_tracking_are_not_held():
    service = make_product("Frais de recherche", stock=0, track_stock=False)
    order = make_order(lines=[(service, 1)], payment_method="mandate")
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS
    assert stock_of(service) == (0, 0)


def test_stock_arriving_later_is_allocated():
    product = make_product(stock=1)
    order = make_order(lines=[(product, 3)], payment_method="mandate")
    t.order_reserve(order_id=order.pk)
    StockRecord.objects.filter(product=product).update(num_in_stock=5)

    assert t.order_allocate_arrivals(order_id=order.pk) == 1

    assert order.lines.get().num_allocated == 3
    assert t.order_start_picking(order_id=order.pk).status == S.PICKING


@override_settings(COMPTOIR_RESERVATION_DAYS=1)
def test_reservation_length_is_a_setting():
    order = make_order(lines=[(make_product(), 1)])
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    held = order.reserved_until - order.transitions.get().created_at
    assert 86400 - 5 < held.total_seconds() <= 86400

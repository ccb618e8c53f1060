import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from core.outbox.selectors import messages_about
from orders.exceptions import InvalidTransition
from orders.services import transitions as t
from orders.statuses import TRANSITIONS, OrderStatus
from tests.factories import make_order, make_product, sent_message

S = OrderStatus
pytestmark = pytest.mark.django_db


def move(order, to):
    """Call the service that leads to ``to``, with its guards satisfied."""
    services = {
        S.RESERVED: lambda: t.order_reserve(order_id=order.pk),
        S.NEW: lambda: t.order_reopen(order_id=order.pk),
        S.IN_PROGRESS: lambda: t.order_confirm(order_id=order.pk),
        S.PICKING: lambda: t.order_start_picking(order_id=order.pk),
        S.SHIPPED: lambda: t.order_ship(
            order_id=order.pk, carrier="Colissimo", tracking_number="6A1"
        ),
        S.DELIVERED: lambda: t.order_deliver(order_id=order.pk),
        S.CANCELLED: lambda: t.order_cancel(order_id=order.pk),
    }
    return services[to]()


@pytest.fixture
def product():
    return make_product(stock=100)


ILLEGAL = [(a, b) for a, b in itertools.product(S.values, S.values) if b not in TRANSITIONS[a]]
LEGAL = [(a, b) for a in S.values for b in TRANSITIONS[a]]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_illegal_transition_is_refused(product, from_status, to_status):
    """Given an order in any state, when asked to move where the table has
    no arrow, then a clear error is raised and nothing is recorded."""
    order = make_order(lines=[(product, 1)], payment_method="transfer", status=from_status)
    order.paid_at = timezone.now()
    order.save()
    with pytest.raises(InvalidTransition) as excinfo:
        move(order, to_status)
    order.refresh_from_db()
    assert order.status == from_status
    assert not order.transitions.exists()
    assert order.number in excinfo.value.message


@pytest.mark.parametrize(("from_status", "to_status"), LEGAL)
def test_every_legal_transition_is_recorded_and_notified(product, from_status, to_status):
    """Given an order in a state, when it makes a legal move, then the move is
    recorded (from, to, by, source) and the customer gets an email."""
    staff = get_user_model().objects.create_user("manager", "m@example.com", is_staff=True)
    order = make_order(lines=[(product, 1)], payment_method="card", status=from_status)
    if to_status != S.NEW:  # only an unpaid order may be reopened
        order.paid_at = timezone.now()
        order.save()
    if from_status in (S.IN_PROGRESS, S.PICKING):
        order.lines.update(num_allocated=1)
    mail.outbox.clear()

    move(order, to_status)

    order.refresh_from_db()
    first = order.transitions.first()
    assert (first.from_status, first.to_status) == (from_status, to_status)
    assert first.source in {"customer", "staff", "system"}
    assert messages_about(order).filter(channel="email").count() >= 1
    assert staff  # a manager exists for orders going in progress


def test_available_transitions_follow_the_table(product):
    order = make_order(lines=[(product, 1)])
    assert order.available_transitions() == [S.RESERVED, S.CANCELLED]
    order.status = S.PICKING
    assert order.available_transitions() == [S.SHIPPED]


def test_customer_cannot_cancel_once_in_progress(product):
    order = make_order(lines=[(product, 1)], status=S.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        t.order_cancel(order_id=order.pk, source=t.CUSTOMER)
    t.order_cancel(order_id=order.pk, source=t.STAFF, note="Client request by phone")
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.transitions.get().note == "Client request by phone"


def test_picking_needs_payment_or_mandate(product):
    order = make_order(lines=[(product, 1)], payment_method="transfer", status=S.IN_PROGRESS)
    order.lines.update(num_allocated=1)
    with pytest.raises(InvalidTransition, match="payment"):
        t.order_start_picking(order_id=order.pk)
    mandate = make_order(lines=[(product, 1)], payment_method="mandate", status=S.IN_PROGRESS)
    mandate.lines.update(num_allocated=1)
    assert t.order_start_picking(order_id=mandate.pk).status == S.PICKING


def test_picking_waits_for_supplier_items(product):
    order = make_order(lines=[(product, 2)], payment_method="mandate", status=S.IN_PROGRESS)
    order.lines.update(num_allocated=1)
    with pytest.raises(InvalidTransition, match="suppliers"):
        t.order_start_picking(order_id=order.pk)


def test_shipping_needs_tracking_or_pickup(product):
    order = make_order(lines=[(product, 1)], status=S.PICKING)
    with pytest.raises(InvalidTransition, match="tracking"):
        t.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number=" ")
    t.order_ship(order_id=order.pk, pickup=True)
    order.refresh_from_db()
    assert order.ready_for_pickup
    body = sent_message(order).body_text
    assert "12 rue des Artisans" in body


def test_payment_received_confirms_and_starts_picking(product):
    """Given a reserved card order where nothing changed, when billing records
    the payment, then it is confirmed and, every unit being in hand, picked."""
    order = make_order(lines=[(product, 2, 100)], payment_method="card")
    t.order_reserve(order_id=order.pk)

    t.order_payment_received(order_id=order.pk)

    order.refresh_from_db()
    assert order.is_paid
    assert [m.to_status for m in order.transitions.all()] == [S.RESERVED, S.IN_PROGRESS, S.PICKING]


def test_payment_received_waits_for_the_customer_to_accept_changes(product):
    order = make_order(lines=[(make_product(stock=1), 2, 2)], payment_method="card")
    t.order_reserve(order_id=order.pk)
    t.order_payment_received(order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.is_paid) == (S.RESERVED, True)

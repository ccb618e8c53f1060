"""Races between database connections. Each thread has its own connection;
the tests need committed rows, hence transaction=True."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.outbox.selectors import messages_about
from orders.services import jobs
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.concurrency import run_together
from tests.factories import Order, make_order, make_product, stock_of

S = OrderStatus
pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_reservations_for_five_units_hold_exactly_five():
    """Given 5 units in stock, when 20 orders of 1 unit are reserved at the
    same moment, then exactly 5 hold a unit, 15 are to order, and stock is
    never oversold."""
    product = make_product(stock=5)
    orders = [make_order(lines=[(product, 1)]) for _ in range(20)]

    run_together([lambda pk=o.pk: t.order_reserve(order_id=pk) for o in orders])

    held = [
        o.lines.get().num_allocated for o in Order.objects.filter(pk__in=[o.pk for o in orders])
    ]
    assert sorted(held) == [0] * 15 + [1] * 5
    assert stock_of(product) == (5, 5)
    assert Order.objects.filter(status=S.RESERVED).count() == 20


def test_expiry_run_by_two_workers_cancels_each_order_once():
    """Given 30 overdue reservations, when two workers run the expiry job at
    once and then once more, each order is cancelled once, with one email."""
    product = make_product(stock=100)
    orders = [make_order(lines=[(product, 2)]) for _ in range(30)]
    for order in orders:
        t.order_reserve(order_id=order.pk)
    Order.objects.update(reserved_until=timezone.now() - timedelta(minutes=1))

    counts = []
    run_together([lambda: counts.append(jobs.reservations_expire(batch_size=7))] * 2)
    assert jobs.reservations_expire() == 0

    assert sum(counts) == 30
    for order in Order.objects.all():
        assert order.status == S.CANCELLED
        assert order.transitions.filter(to_status=S.CANCELLED).count() == 1
        assert messages_about(order).filter(subject__contains=order.number).count() == 2
    assert stock_of(product) == (100, 0)

"""One deadline (issue 10 item 2): what orders.selectors.order_deadline tells
the customer is exactly when the timed jobs cancel the order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.payment_methods import PaymentMethod
from orders.selectors import order_deadline
from orders.services import jobs
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def _run_jobs():
    jobs.reservations_expire()
    jobs.transfers_cancel_unpaid()


@pytest.mark.parametrize("status", [OrderStatus.RESERVED, OrderStatus.IN_PROGRESS])
@pytest.mark.parametrize("method", PaymentMethod.values)
@pytest.mark.parametrize("paid", [False, True])
def test_the_deadline_told_is_when_the_jobs_cancel(status, method, paid):
    """Given an order in any open state and method, when its deadline (if
    any) has passed, the jobs cancel it; when none is told, they never do;
    a minute before the deadline they leave it alone."""
    long_ago = timezone.now() - timedelta(days=30)
    order = make_order(
        lines=[(make_product(stock=5), 1)],
        status=status,
        payment_method=method,
        paid_at=long_ago if paid else None,
        reserved_until=long_ago,
    )
    type(order).objects.filter(pk=order.pk).update(date_placed=long_ago)
    order.refresh_from_db()
    deadline = order_deadline(order)

    _run_jobs()

    order.refresh_from_db()
    assert (order.status == OrderStatus.CANCELLED) is (deadline is not None)


@pytest.mark.parametrize("method", PaymentMethod.values)
def test_nothing_is_cancelled_before_the_deadline(method):
    soon = timezone.now() + timedelta(minutes=1)
    order = make_order(
        lines=[(make_product(stock=5), 1)],
        status=OrderStatus.RESERVED,
        payment_method=method,
        reserved_until=soon,
    )
    type(order).objects.filter(pk=order.pk).update(date_placed=soon - timedelta(days=7))
    order.refresh_from_db()
    assert order_deadline(order) == soon

    _run_jobs()

    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED

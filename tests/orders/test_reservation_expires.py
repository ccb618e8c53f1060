"""Which orders the thank-you page may say are "held until" (F3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.services.jobs import reservation_expires
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "method", "paid", "expires"),
    [
        ("reserved", "transfer", False, True),
        ("in_progress", "card", False, True),
        ("in_progress", "card", True, False),
        ("in_progress", "transfer", False, False),
        ("in_progress", "mandate", False, False),
        ("in_progress", "cheque", False, False),
    ],
)
def test_reservation_expires_matches_the_expiry_job(status, method, paid, expires):
    order = make_order(
        lines=[(make_product(stock=5), 1)],
        status=status,
        payment_method=method,
        paid_at=timezone.now() if paid else None,
        reserved_until=timezone.now() + timedelta(days=3),
    )
    assert reservation_expires(order) is expires

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.payments.services import record_payment
from orders.models import OrderTransition
from orders.services import transitions as t
from tests.factories import make_order, make_product
from tests.fakes.localstripe import localstripe, stripe_env  # noqa: F401 (fixtures)
from tests.fixtures import english_messages  # noqa: F401 (fixture)


@pytest.fixture
def customer(db):
    return get_user_model().objects.create_user(
        username="alice",
        email="alice@example.com",
        password="pw",
        first_name="Alice",
        last_name="Martin",
    )


@pytest.fixture
def other_customer(db):
    return get_user_model().objects.create_user("bob", "bob@example.com", "pw")


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("chef", "chef@example.com", "pw")


def deliver(order, *, days_ago=0):
    """Ship and deliver the order (the invoice is issued when it ships);
    the delivery dated ``days_ago`` days back."""
    t.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A123")
    t.order_deliver(order_id=order.pk)
    if days_ago:
        OrderTransition.objects.filter(order=order, to_status="delivered").update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    order.refresh_from_db()
    return order


def transfer_order(customer, *, units=3, price="10.00", shipping=None):
    """A bank-transfer order of ``units`` × price excl. VAT, paid and picking."""
    product = make_product(price=price, stock=20)
    order = make_order(lines=[(product, units)], user=customer, payment_method="transfer")
    if shipping is not None:
        from orders.amounts import order_totals_store

        order.shipping_excl_tax = Decimal(shipping)
        order.shipping_incl_tax = Decimal(shipping) * Decimal("1.2")
        order.shipping_tax_code, order.shipping_code = "0.20", "express"
        order.save()
        order_totals_store(order)
    t.order_reserve(order_id=order.pk)
    t.order_confirm(order_id=order.pk, source=t.CUSTOMER)
    order.refresh_from_db()
    record_payment(order_id=order.pk, amount=order.total_incl_tax, method="transfer")
    order.refresh_from_db()
    assert order.status == "picking", order.status
    return order


@pytest.fixture
def delivered_order(customer):
    def build(**kwargs):
        days_ago = kwargs.pop("days_ago", 1)
        return deliver(transfer_order(customer, **kwargs), days_ago=days_ago)

    return build

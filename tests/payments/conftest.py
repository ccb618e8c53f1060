import pytest
from django.contrib.auth import get_user_model

from billing.signals import order_paid
from orders.services import transitions as t
from tests.factories import make_order, make_product
from tests.fakes.localstripe import localstripe, stripe_env  # noqa: F401 (fixtures)
from tests.fixtures import english_messages  # noqa: F401 (fixture)


@pytest.fixture
def manager(db):
    return get_user_model().objects.create_user(
        "gerante", "gerante@example.com", "pw", is_staff=True
    )


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def paid_signals():
    """Every order_paid sent during the test, as (order number, payment id)."""
    sent = []

    def receiver(sender, order, payment, **kwargs):
        sent.append((order.number, payment.pk))

    order_paid.connect(receiver, dispatch_uid="tests-order-paid")
    yield sent
    order_paid.disconnect(dispatch_uid="tests-order-paid")


def transfer_order_in_progress(total_units=3, *, manager=None, price="10.00"):
    """A bank-transfer order of ``total_units`` × price (+20 % VAT), reserved
    and confirmed by its customer, waiting for its money."""
    order = make_order(lines=[(make_product(price=price), total_units)], payment_method="transfer")
    if manager is not None:
        order.manager = manager
        order.save(update_fields=["manager"])
    t.order_reserve(order_id=order.pk)
    t.order_confirm(order_id=order.pk, source=t.CUSTOMER)
    order.refresh_from_db()
    return order

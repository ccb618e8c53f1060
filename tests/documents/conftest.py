import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.models import Document
from orders.services import transitions as t
from tests.factories import make_institution, make_order, make_product
from tests.fixtures import eager_celery, english_messages  # noqa: F401 (fixtures)


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
    return get_user_model().objects.create_user(
        username="bob", email="bob@example.com", password="pw"
    )


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        username="staff", email="staff@example.com", password="pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def institution(customer):
    return make_institution(customer)


@pytest.fixture
def picking_order(customer):
    """An order paid by card, being picked: two lines at 20 % and a book at 5.5 %."""

    def build(**fields):
        resistor = make_product("Metal film resistor 10 kΩ", price="0.50", stock=100)
        book = make_product("Art of Electronics", price="80.00", stock=5)
        fields.setdefault("payment_method", "card")
        fields.setdefault("paid_at", timezone.now())
        fields.setdefault("status", "picking")
        return make_order(lines=[(resistor, 10), (book, 1)], user=customer, **fields)

    return build


@pytest.fixture
def facturx_invoice(picking_order, institution):
    """The invoice of an institution's mandate order, shipped: Factur-X."""
    order = picking_order(
        legal_entity=institution,
        purchase_order_number="BC-9",
        payment_method="mandate",
        paid_at=None,
    )
    t.order_ship(order_id=order.pk, pickup=True)
    return Document.objects.get(order=order, kind="invoice")

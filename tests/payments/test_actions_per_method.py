"""Issue 10 item 3: the right actions for each payment method."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment
from billing.payments.selectors import order_is_payable, order_payable_online, order_payments
from orders.services import transitions as t
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("lab", "lab@example.com", "pw")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _card_offered(settings):
    settings.STRIPE_PUBLISHABLE_KEY, settings.STRIPE_SECRET_KEY = "pk_test_x", "sk_test_x"


def test_a_mandate_order_shows_its_terms_not_pay_now(client, customer):
    """Issue 10: "a mandate order shows 'Pay now' with a card button and
    'remaining to pay'". Given an institution's order on mandate, then the
    order page has no pay button nor "still to pay", but the terms; the
    pay page refuses it too."""
    order = make_order(
        lines=[(make_product(stock=5), 1, 5)], user=customer, payment_method="mandate"
    )
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()

    html = client.get(
        reverse("customer:order", kwargs={"order_number": order.number}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert not order_is_payable(order) and not order_payable_online(order)
    assert reverse("billing:pay", kwargs={"number": order.number}) not in html
    assert "order-payments__pay" not in html
    assert "order-payments__terms" in html


def test_a_transfer_order_may_still_be_paid_online(customer):
    order = make_order(
        lines=[(make_product(stock=5), 1, 5)], user=customer, payment_method="transfer"
    )
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert order_payable_online(order)


def test_a_stale_card_attempt_is_not_listed_beside_what_is_due(client, customer):
    """Issue 10: "a pending, stale card attempt does not sit beside 'remaining to pay'"."""
    order = make_order(lines=[(make_product(stock=5), 1, 5)], user=customer)
    t.order_reserve(order_id=order.pk)
    Payment.objects.create(
        order=order,
        method="card",
        provider="stripe",
        provider_id="pi_stale",
        amount=order.total_incl_tax,
        status=Payment.Status.PENDING,
        created_at=timezone.now() - timezone.timedelta(days=1),
    )

    assert list(order_payments(order)) == []
    html = client.get(
        reverse("customer:order", kwargs={"order_number": order.number})
    ).content.decode()
    assert "pi_stale" not in html and "order-payments__pay" in html


def test_the_pay_pages_refuse_a_mandate_order_with_its_terms(client, customer):
    order = make_order(
        lines=[(make_product(stock=5), 1, 5)], user=customer, payment_method="mandate"
    )
    t.order_reserve(order_id=order.pk)

    page = client.get(reverse("billing:pay", kwargs={"number": order.number}))
    assert "30" in page.context["deferred_terms"]
    response = client.get(
        reverse("billing:pay-with", kwargs={"number": order.number, "provider": "stripe"}),
        follow=True,
    )
    assert not Payment.objects.filter(order=order).exists()
    assert any("deferred terms" in str(m) for m in response.context["messages"])

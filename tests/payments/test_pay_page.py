"""Who reaches the pay page, and when it takes money."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Payment
from billing.payments import services
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db
S = OrderStatus


def urls(order):
    number = order.number
    return [
        reverse("billing:pay", kwargs={"number": number}),
        reverse("billing:pay-with", kwargs={"number": number, "provider": "stripe"}),
        reverse("billing:pay-return", kwargs={"number": number, "provider": "stripe"}),
    ]


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", "owner@example.com", "pw")


@pytest.fixture
def order(owner):
    order = make_order(lines=[(make_product(), 1)], user=owner)
    t.order_reserve(order_id=order.pk)
    return order


@pytest.fixture
def guest_order():
    order = make_order(lines=[(make_product(), 1)], email="guest@example.com")
    t.order_reserve(order_id=order.pk)
    return order


def test_another_customer_gets_404(stripe_env, client, order, django_user_model):
    client.force_login(django_user_model.objects.create_user("eve", "eve@example.com", "pw"))
    for url in urls(order):
        assert client.get(url).status_code == 404
    assert not Payment.objects.exists()


def test_a_visitor_without_session_gets_404_for_a_guest_order(stripe_env, client, guest_order):
    for url in urls(guest_order):
        assert client.get(url).status_code == 404
        assert client.get(url, {"h": guest_order.verification_hash()}).status_code == 404
    assert not Payment.objects.exists()


def test_a_visitor_gets_404_for_a_customer_order_even_with_its_hash(stripe_env, client, order):
    response = client.get(urls(order)[0], {"h": order.verification_hash()})
    assert response.status_code == 404


def test_the_guest_who_just_placed_it_may_pay(stripe_env, client, guest_order):
    """Checkout leaves the placed order's id in the session."""
    session = client.session
    session["checkout_order_id"] = guest_order.pk
    session.save()
    response = client.get(urls(guest_order)[0], follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/pay/stripe/")
    assert Payment.objects.filter(order=guest_order, status="pending").count() == 1


def test_a_guest_with_the_signed_link_and_the_email_may_pay(stripe_env, client, guest_order):
    session = client.session
    session["anon_order_email"] = "guest@example.com"
    session.save()
    h = guest_order.verification_hash()
    response = client.get(urls(guest_order)[1], {"h": h})
    assert response.status_code == 200
    # The return URL given to Stripe keeps the signed link.
    assert f"return/?h={h}" in response.content.decode()


def test_owner_sees_the_choice_and_amounts(stripe_env, client, owner, order):
    client.force_login(owner)
    services.record_payment(order_id=order.pk, amount=Decimal("0.50"), method="cheque")
    response = client.get(urls(order)[0] + "?choose=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "pay-method--stripe" in html
    assert "0,70" in html or "0.70" in html  # 1.20 less 0.50


@pytest.mark.parametrize("status", [S.CANCELLED, S.PICKING])
def test_nothing_is_charged_for_an_order_not_payable(stripe_env, client, owner, status):
    order = make_order(lines=[(make_product(), 1)], user=owner, status=status)
    client.force_login(owner)
    page = client.get(urls(order)[0])
    assert page.status_code == 200 and "pay-method--" not in page.content.decode()
    response = client.get(urls(order)[1], follow=True)
    assert response.redirect_chain[-1][0].endswith("?choose=1")
    assert not Payment.objects.exists()


def test_without_stripe_keys_the_page_says_how_else_to_pay(client, owner, order, settings):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(owner)
    page = client.get(urls(order)[0])
    assert page.status_code == 200
    assert "Online payment is not available" in page.content.decode()
    assert client.get(urls(order)[1]).status_code == 404


def test_an_unknown_provider_is_404(stripe_env, client, owner, order):
    client.force_login(owner)
    url = reverse("billing:pay-with", kwargs={"number": order.number, "provider": "bitcoin"})
    assert client.get(url).status_code == 404


def test_a_return_for_another_orders_intent_changes_nothing(stripe_env, client, owner, order):
    """An intent id from someone else's order is not looked at."""
    other = make_order(lines=[(make_product(), 1)])
    t.order_reserve(order_id=other.pk)
    from billing.payments.providers.stripe import StripeProvider

    foreign = services.payment_start(order_id=other.pk, provider=StripeProvider()).payment
    stripe_env.confirm(foreign.provider_id)
    client.force_login(owner)
    response = client.get(urls(order)[2], {"payment_intent": foreign.provider_id}, follow=True)
    assert any("could not find" in str(m) for m in response.context["messages"])
    foreign.refresh_from_db()
    assert foreign.status == "pending"


def test_the_account_order_page_has_pay_now_and_the_payments(stripe_env, client, owner, order):
    services.record_payment(
        order_id=order.pk, amount=Decimal("0.20"), method="cheque", reference="CHQ-1"
    )
    client.force_login(owner)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    html = page.content.decode()
    assert reverse("billing:pay", kwargs={"number": order.number}) in html
    assert "order-payments__pay" in html and "CHQ-1" not in html  # staff-only reference
    assert "Cheque" in html or "Chèque" in html

    services.record_payment(order_id=order.pk, amount=Decimal("1.00"), method="cheque")
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "order-payments__pay" not in page.content.decode()


def test_the_guest_order_page_links_to_pay_with_its_signed_hash(stripe_env, client, guest_order):
    session = client.session
    session["anon_order_email"] = "guest@example.com"  # Oscar's guest order form
    session.save()
    h = guest_order.verification_hash()
    page = client.get(
        reverse("customer:anon-order", kwargs={"order_number": guest_order.number, "hash": h})
    )
    assert page.status_code == 200
    assert reverse("billing:pay", kwargs={"number": guest_order.number}) + "?h=" + h in (
        page.content.decode()
    )


def test_without_online_provider_the_pay_page_gives_the_bank_details(
    settings, client, owner, order
):
    settings.STRIPE_SECRET_KEY = settings.PAYPAL_CLIENT_ID = ""
    settings.COMPTOIR_LEGAL = {**settings.COMPTOIR_LEGAL, "iban": "FR7630001007941234567890185"}
    client.force_login(owner)
    html = client.get(reverse("billing:pay", kwargs={"number": order.number})).content.decode()
    assert 'id="bank-details"' in html and "FR7630001007941234567890185" in html

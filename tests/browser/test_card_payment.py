"""A card payment in headless Chromium, with localstripe's fake Stripe.js:
the customer opens "Pay now", the card form loads Stripe.js from
STRIPE_JS_URL, the customer types the card; Stripe.js confirms the intent
with it, the bank asks for 3-D Secure when the card wants it, and the return
URL records the payment. (tests/browser/test_first_look.py does the same
under `make run`'s own settings and processes.)"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from billing.models import Payment
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CARD = "4242 4242 4242 4242"
THREE_D_SECURE_CARD = "4000 0027 6000 3184"


def type_card(page, number: str) -> None:
    """Fill localstripe's fake card element as a customer would."""
    for placeholder, value in (
        ("number", number),
        ("exp_month", "12"),
        ("exp_year", "30"),
        ("cvc", "123"),
    ):
        page.fill(f"#card-element input[placeholder='{placeholder}']", value)


@pytest.fixture
def paying(live_server, stripe_env, settings, django_user_model, page):
    """A reserved card order and its customer signed in, on the card form."""
    settings.STRIPE_JS_URL = f"{stripe_env.url}/js.stripe.com/v3/"
    customer = django_user_model.objects.create_user("alice", "alice@example.com", "pw")
    order = make_order(lines=[(make_product(price="10.00"), 2)], user=customer)
    t.order_reserve(order_id=order.pk)
    client = Client()
    client.force_login(customer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    with translation.override(settings.LANGUAGE_CODE):
        order_url = live_server.url + reverse(
            "customer:order", kwargs={"order_number": order.number}
        )
    page.goto(order_url)
    page.click(".order-payments__pay")
    expect(page.locator("#stripe-payment-form")).to_be_visible()
    payment = Payment.objects.get(order=order)
    expect(page.locator("#card-element input").first).to_be_visible()  # the fake card element
    return order, payment


def test_card_payment_without_authentication_in_the_browser(paying, page):
    """Given the card form, when the customer types 4242 4242 4242 4242 and
    pays, then no challenge is asked and the order is paid (was: "Bad request")."""
    order, payment = paying
    type_card(page, CARD)
    page.click("#pay-submit")
    expect(page.locator(".alert-success")).to_contain_text("24,00")
    expect(page.locator("text=Complete authentication")).to_have_count(0)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "succeeded" and order.is_paid
    assert order.status == OrderStatus.PICKING


def test_card_payment_with_3d_secure_in_the_browser(paying, page, artifacts_dir):
    order, payment = paying
    type_card(page, THREE_D_SECURE_CARD)
    page.screenshot(path=str(artifacts_dir / "pay-card-form.png"), full_page=True)
    page.click("#pay-submit")
    page.click("text=Complete authentication")
    expect(page.locator(".order-status__label")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("24,00")
    page.screenshot(path=str(artifacts_dir / "pay-card-done.png"), full_page=True)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "succeeded" and order.is_paid
    assert order.status == OrderStatus.PICKING
    expect(page.locator(".order-payments__pay")).to_have_count(0)


def test_failed_3d_secure_in_the_browser_keeps_the_order_unpaid(paying, page, artifacts_dir):
    order, payment = paying
    type_card(page, THREE_D_SECURE_CARD)
    page.click("#pay-submit")
    page.click("text=Fail authentication")
    expect(page.locator(".alert-danger").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "pay-card-failed.png"), full_page=True)
    assert page.url.endswith("/pay/stripe/")
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "failed" and not order.is_paid
    assert settings.LANGUAGE_CODE == "fr"

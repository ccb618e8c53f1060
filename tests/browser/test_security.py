"""Issue 12 in Chromium: no Content-Security-Policy violation on the
checkout and the card page; the login lockout page; a throttled network's
visitor gets a captcha instead of a dead end, and its guest still checks
out; in French and English (screenshots in test-artifacts/)."""

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories import make_product

from .test_card_payment import (
    THREE_D_SECURE_CARD,
    paying,  # noqa: F401 (fixture: the card form, on localstripe)
    type_card,
)

Country = get_model("address", "Country")
Order = get_model("order", "Order")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page):
    """What Chromium reports as blocked by the Content-Security-Policy."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen


def url(live_server, language, name, **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(name, kwargs=kwargs or None)


def guest_checkout(page, live_server, language, product, artifacts_dir, *, payment="transfer"):
    with translation.override(language):
        product_url = live_server.url + product.get_absolute_url()
        add_url = reverse("basket:add", kwargs={"pk": product.pk})
    page.goto(product_url)
    page.locator(f"form[action='{add_url}'] [type=submit]").click()
    page.wait_for_load_state()
    page.goto(url(live_server, language, "checkout:index"))
    page.fill("input[name='username']", f"guest-{language}@example.com")
    page.locator("input[name='options'][value='anonymous']").check()
    page.wait_for_timeout(1100)
    page.screenshot(
        path=artifacts_dir / f"security-checkout-identify-{language}.png", full_page=True
    )
    page.locator("#gateway_submit").click()
    page.wait_for_selector("#new_shipping_address")
    page.fill("input[name='first_name']", "Léa")
    page.fill("input[name='last_name']", "Garnier")
    page.fill("input[name='line1']", "8 quai Claude Bernard")
    page.fill("input[name='line4']", "Lyon")
    page.fill("input[name='postcode']", "69007")
    page.locator("#new_shipping_address [type=submit]").click()
    page.wait_for_selector("#shipping_method_form")
    page.locator("#shipping_method_form [type=submit]").click()
    page.wait_for_selector("#payment_method_form")
    page.locator(f"#payment-{payment} input").check()
    page.locator("#payment_method_submit").click()
    page.wait_for_selector("#place_order_form")
    page.locator("input[name='accept_terms']").check()
    page.locator("#place-order").click()
    page.wait_for_load_state()


@pytest.fixture
def france(db):
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )


def test_the_checkout_runs_without_a_csp_violation(
    page, live_server, settings, france, csp_violations, artifacts_dir
):
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 1
    guest_checkout(page, live_server, "fr", make_product("Relais 5 V", stock=9), artifacts_dir)
    expect(page.locator("#bank-details")).to_be_visible()
    assert Order.objects.count() == 1
    assert csp_violations == []


def test_the_card_page_runs_stripe_js_without_a_csp_violation(
    paying,  # noqa: F811
    page,
    csp_violations,
    artifacts_dir,
):
    page.reload()
    expect(page.locator("#card-element input").first).to_be_visible()
    type_card(page, THREE_D_SECURE_CARD)
    page.click("#pay-submit")
    page.click("text=Complete authentication")
    expect(page.locator(".alert-success")).to_be_visible()
    page.screenshot(path=artifacts_dir / "security-pay-page.png", full_page=True)
    assert csp_violations == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_login_lockout_page(page, live_server, django_user_model, language, artifacts_dir):
    django_user_model.objects.create_user("ada", "ada@example.com", "ada-good-password-42")
    login_url = url(live_server, language, "customer:login")
    for n in range(6):
        page.goto(login_url)
        page.fill("input[name='login-username']", "ada@example.com")
        page.fill("input[name='login-password']", f"wrong-{n}")
        page.locator("button[name='login_submit']").click()
        page.wait_for_load_state()
    expect(page.locator("#account-locked")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"security-lockout-{language}.png", full_page=True)
    expect(page.locator("#account-locked a.btn-primary")).to_have_attribute(
        "href", url(live_server, language, "password-reset").removeprefix(live_server.url)
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_throttled_network_gets_a_captcha_and_its_guest_checks_out(
    page, live_server, settings, france, language, artifacts_dir, csp_violations
):
    """Given bots on the visitor's address (the live server sees 127.0.0.1)
    having failed the registration form, when a person opens it, then it
    asks for the letters of a picture, and with them creates the account;
    a guest with a basket from the same address checks out unasked."""
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 1
    settings.COMPTOIR_ANTIBOT_IP_RATE = "3/10m"
    login_url = url(live_server, language, "customer:login")
    for _ in range(3):
        Client(REMOTE_ADDR="127.0.0.1").post(login_url, {"registration_submit": "1"})

    page.goto(login_url)
    expect(page.locator("input[name='registration-captcha_1']")).to_be_visible()
    expect(page.locator("img.captcha")).to_be_visible()
    page.fill("input[name='registration-email']", f"marie-{language}@example.com")
    page.fill("input[name='registration-password1']", "une longue phrase 42")
    page.fill("input[name='registration-password2']", "une longue phrase 42")
    key = page.locator("input[name='registration-captcha_0']").input_value()
    page.fill(
        "input[name='registration-captcha_1']", CaptchaStore.objects.get(hashkey=key).response
    )
    page.wait_for_timeout(1100)
    page.screenshot(path=artifacts_dir / f"security-captcha-{language}.png", full_page=True)
    page.locator("button[name='registration_submit']").click()
    page.wait_for_load_state()
    assert get_user_model_exists(f"marie-{language}@example.com")

    page.context.clear_cookies()
    guest_checkout(page, live_server, language, make_product("Relais 5 V", stock=9), artifacts_dir)
    expect(page.locator("#bank-details")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"security-guest-done-{language}.png", full_page=True)
    assert Order.objects.count() == 1
    assert csp_violations == []


def get_user_model_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=email).exists()

"""The customer's order page for each payment method, in French and English
(issue 10 items 2 and 3): an institution on mandate sees its terms and no
"Pay now"; a card customer sees "Pay now" and nothing to confirm; a
private customer paying by transfer sees the bank details and the one
deadline, and may still confirm, change or cancel the reserved order."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from oscar.core.loading import get_model
from playwright.sync_api import expect

from orders.selectors import order_deadline
from orders.services import transitions
from orders.statuses import OrderStatus
from shop.customer.models import LegalEntity
from tests.factories import make_order, make_product

Order = get_model("order", "Order")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _card_offered(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_dummy"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dummy"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"


def _log_in(page, base, username, password):
    page.context.clear_cookies()
    with translation.override("fr"):
        page.goto(base + reverse("customer:login"))
    page.fill("input[name='login-username']", username)
    page.fill("input[name='login-password']", password)
    page.locator("input[name='login-password']").press("Enter")
    page.wait_for_load_state()


def _order_page(page, base, order, language):
    with translation.override(language):
        page.goto(base + reverse("customer:order", kwargs={"order_number": order.number}))
    page.wait_for_selector(".order-status")


def _placed(user, method, **fields):
    order = make_order(
        lines=[(make_product(stock=20, price="12.50"), 2, 20)],
        user=user,
        email=user.email,
        payment_method=method,
        **fields,
    )
    transitions.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    return order


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_payment_method_offers_its_own_actions(
    page, live_server, django_user_model, artifacts_dir, language
):
    base = live_server.url
    lab = django_user_model.objects.create_user("lab@univ.example", "lab@univ.example", "pw-lab")
    alice = django_user_model.objects.create_user("alice@example.com", "alice@example.com", "pw-a")
    bob = django_user_model.objects.create_user("bob@example.com", "bob@example.com", "pw-b")
    university = LegalEntity.objects.create(
        user=lab,
        kind="public",
        name="Université de Lyon",
        line1="92 rue Pasteur",
        postcode="69007",
        city="Lyon",
        verified_at=timezone.now(),
    )

    # An institution with its purchase order: a commitment, it goes on; its
    # terms instead of "Pay now".
    mandate = _placed(lab, "mandate", legal_entity=university, purchase_order_number="BC-2026-0042")
    assert mandate.status == OrderStatus.IN_PROGRESS
    _log_in(page, base, "lab@univ.example", "pw-lab")
    _order_page(page, base, mandate, language)
    expect(page.locator(".order-payments__pay")).to_have_count(0)
    expect(page.locator(".order-payments__terms")).to_be_visible()
    expect(page.locator(".order-status__actions form, .order-status__actions a")).to_have_count(0)
    page.screenshot(path=artifacts_dir / f"method-mandate-{language}.png", full_page=True)

    # A card customer, not paid yet: "Pay now", nothing to confirm.
    card = _placed(alice, "card")
    assert card.status == OrderStatus.RESERVED
    _log_in(page, base, "alice@example.com", "pw-a")
    _order_page(page, base, card, language)
    expect(page.locator(".order-payments__pay")).to_have_count(1)
    expect(page.locator(f"form[action*='/{card.number}/confirm/']")).to_have_count(0)
    page.screenshot(path=artifacts_dir / f"method-card-{language}.png", full_page=True)

    # A private customer paying by transfer: reserved until the one
    # deadline, bank details, and confirm / change / cancel.
    transfer = _placed(bob, "transfer")
    assert transfer.status == OrderStatus.RESERVED
    with translation.override(language):
        told = date_format(timezone.localtime(order_deadline(transfer)), "DATETIME_FORMAT")
    _log_in(page, base, "bob@example.com", "pw-b")
    _order_page(page, base, transfer, language)
    expect(page.locator(".order-status__deadline")).to_contain_text(told)
    expect(page.locator(".order-status .bank-details")).to_contain_text(transfer.number)
    expect(page.locator(f"form[action*='/{transfer.number}/confirm/']")).to_have_count(1)
    expect(page.locator(f"a[href*='/{transfer.number}/edit/']")).to_have_count(1)
    expect(page.locator(".order-status__cancel")).to_have_count(1)
    page.screenshot(path=artifacts_dir / f"method-transfer-{language}.png", full_page=True)

    # The customer commits: in progress, still the same deadline to pay.
    page.locator(f"form[action*='/{transfer.number}/confirm/'] button").click()
    page.wait_for_selector(".order-status__label--in_progress")
    expect(page.locator(".order-status__deadline")).to_contain_text(told)
    expect(page.locator(".order-status__cancel")).to_have_count(0)
    page.screenshot(
        path=artifacts_dir / f"method-transfer-confirmed-{language}.png", full_page=True
    )

    # Staff see the same deadline, and why picking waits (no payment yet).
    django_user_model.objects.create_superuser("chef", "chef@comptoir.example", "pw-chef")
    page.context.clear_cookies()
    with translation.override(language):
        page.goto(base + reverse("admin:login") + "?next=/admin/")
        page.fill("input[name='username']", "chef")
        page.fill("input[name='password']", "pw-chef")
        page.locator("input[name='password']").press("Enter")
        page.wait_for_load_state()
        page.goto(base + reverse("admin:order_order_change", args=[transfer.pk]))
    expect(page.locator(".order-move--waiting")).to_have_count(1)
    expect(page.locator(".field-deadline")).to_contain_text(told)
    page.screenshot(path=artifacts_dir / f"method-transfer-admin-{language}.png", full_page=True)

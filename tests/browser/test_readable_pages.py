"""What the reviewer read in Chromium, in French and English: the outbox's
list and the order's admin page in words staff know (no "order.order:13",
no UTC, no "11: new → reserved"), the customer's order page with "75002
Paris", one date format, "État :" and no review button before delivery."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import expect

from billing.payments.services import record_payment
from orders.services import transitions as t
from tests.factories import make_order, make_product

Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reserved_order(django_user_model):
    france, _ = Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    django_user_model.objects.create_superuser("claire", "claire@comptoir.example", "staff-pw")
    customer = django_user_model.objects.create_user("alice", "alice@example.com", "alice-pw")
    address = ShippingAddress.objects.create(
        first_name="Alice",
        last_name="Martin",
        line1="12 rue des Artisans",
        line4="Paris",
        postcode="75002",
        country=france,
    )
    order = make_order(
        lines=[(make_product("Timer NE555", stock=25), 2)],
        user=customer,
        payment_method="transfer",
        shipping_address=address,
    )
    t.order_reserve(order_id=order.pk)
    record_payment(
        order_id=order.pk, amount=Decimal("0.10"), method="transfer", received_on=date(2026, 12, 6)
    )
    return order


def log_in(page, url, username, password, prefix=""):
    page.goto(url)
    page.fill(f"input[name='{prefix}username']", username)
    page.fill(f"input[name='{prefix}password']", password)
    page.locator(f"input[name='{prefix}password']").press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_admin_pages_read_in_words_staff_know(
    page, live_server, reserved_order, artifacts_dir, language
):
    order, base = reserved_order, live_server.url
    prefix = "" if language == "fr" else "/en"
    log_in(page, f"{base}{prefix}/admin/login/?next={prefix}/admin/", "claire", "staff-pw")
    page.screenshot(path=artifacts_dir / f"readable-admin-index-{language}.png", full_page=True)
    expect(page.locator("#content-main")).to_contain_text("Messages")

    page.goto(f"{base}{prefix}/admin/core/outboxmessage/")
    page.screenshot(path=artifacts_dir / f"readable-outbox-{language}.png", full_page=True)
    about = page.locator("td.field-about a").first
    expect(about).to_have_text(f"{'Commande' if language == 'fr' else 'Order'} {order.number}")
    expect(page.locator("#changelist-filter")).to_contain_text(
        "Suivi de commande" if language == "fr" else "Order update"
    )
    expect(page.locator("#changelist-filter")).not_to_contain_text("order.transition")

    about.click()
    page.wait_for_load_state()
    page.screenshot(path=artifacts_dir / f"readable-order-admin-{language}.png", full_page=True)
    content = page.locator("#content-main")
    expect(content).not_to_contain_text(f"{order.pk}: new")
    expect(content).to_contain_text("Nouvelle → Réservée" if language == "fr" else "New → Reserved")
    expect(content).not_to_contain_text("20.00")

    page.goto(f"{base}{prefix}/admin/order/order/")
    page.screenshot(path=artifacts_dir / f"readable-order-list-{language}.png", full_page=True)
    expect(page.locator("#changelist-filter")).not_to_contain_text("PayPal")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_customers_order_page_reads_one_way(
    page, live_server, reserved_order, artifacts_dir, language
):
    order, base = reserved_order, live_server.url
    prefix = "" if language == "fr" else "/en"
    with translation.override("fr"):
        login = reverse("customer:login")
        url = reverse("customer:order", kwargs={"order_number": order.number})
    log_in(page, f"{base}{prefix}{login}", "alice@example.com", "alice-pw", prefix="login-")
    page.goto(f"{base}{prefix}{url}")
    page.screenshot(path=artifacts_dir / f"readable-order-page-{language}.png", full_page=True)
    # The "Re-order" buttons keep their label on one or two lines.
    buttons = page.locator("button[id^='reorder_line_']").all()
    assert buttons
    for button in buttons:
        lines = button.evaluate(
            "b => { const s = getComputedStyle(b);"
            " const text = b.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);"
            " return Math.round(text / parseFloat(s.lineHeight)); }"
        )
        assert lines <= 2, (language, lines)
    body = page.locator("body")
    expect(body).to_contain_text("75002 Paris")
    expect(body).not_to_contain_text("06/12/2026")
    expect(body).not_to_contain_text("12/06/2026")
    expect(body).to_contain_text("6 décembre 2026" if language == "fr" else "Dec. 6, 2026")
    if language == "fr":
        expect(page.locator("#order-status-title")).to_contain_text("État\u00a0:")
    expect(
        page.get_by_text("Écrire un avis" if language == "fr" else "Write a review")
    ).to_have_count(0)

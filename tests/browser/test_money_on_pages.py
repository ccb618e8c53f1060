"""The reviewer's walk, in a real browser, in French and in English: each
line's price incl. VAT is display_gross(line net, rate) on the basket, the
review, the thank-you page and the order page; the basket's delivery row is
excl. VAT with its price incl. VAT beside; a cancelled order owes nothing; a
paid order says how it was paid, not how to pay; a mandate's terms once."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import expect

from billing.payments.services import record_payment
from orders.services import transitions as t
from tests.factories import make_order, make_product

Country = get_model("address", "Country")
Order = get_model("order", "Order")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "fr": {
        "line": r"1,80\s*€",
        "line2": r"4,56\s*€",
        "wrong": r"\b1,75\s*€|\b4,60\s*€",
        "ship_net": r"5,75\s*€",
        "ship_gross": r"\(6,90\s*€ TTC\)",
        "paid_by": "Payée par",
        "card_help": "paiement sécurisé",
        "transfer_help": "7 jours",
        "due": "Reste à payer",
        "mandate_terms": "paiement sous 30 jours",
    },
    "en": {
        "line": r"€1\.80",
        "line2": r"€4\.56",
        "wrong": r"€1\.75|€4\.60",
        "ship_net": r"€5\.75",
        "ship_gross": r"\(€6\.90 incl\. VAT\)",
        "paid_by": "Paid by",
        "card_help": "pay securely",
        "transfer_help": "7 days",
        "due": "Still to pay",
        "mandate_terms": "pay within 30 days of the invoice",
    },
}


def order_url(order, lang):
    with translation.override(lang):
        return reverse("customer:order", kwargs={"order_number": order.number})


def log_in(page, url, username, password):
    page.goto(url)
    page.fill("input[name='login-username']", username)
    page.fill("input[name='login-password']", password)
    page.locator("input[name='login-password']").press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_money_on_the_pages(page, live_server, django_user_model, artifacts_dir, settings, lang):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    customer = django_user_model.objects.create_user("alice", "alice@example.com", "alice-pw")
    transistor = make_product("BC547B", mpn="BC547B", price="0.06", stock=100)
    resistor = make_product("Résistance 1 kΩ", mpn="CFR-25", price="0.38", stock=100)
    words, base = WORDS[lang], live_server.url
    shot = lambda name: page.screenshot(  # noqa: E731
        path=artifacts_dir / f"money-{lang}-{name}.png", full_page=True
    )
    with translation.override(lang):
        login, basket = reverse("customer:login"), reverse("basket:summary")
        checkout = reverse("checkout:index")
        products = [
            (p, p.get_absolute_url(), reverse("basket:add", kwargs={"pk": p.pk}))
            for p in (transistor, resistor)
        ]

    log_in(page, base + login, "alice@example.com", "alice-pw")
    for (_product, url, add), quantity in zip(products, (25, 10), strict=True):
        page.goto(base + url)
        form = page.locator(f"form[action='{add}']")
        form.locator("input[name='quantity']").fill(str(quantity))
        form.locator("[type=submit]").click()
        page.wait_for_load_state()

    # 1 and 2: the basket's lines from their nets; its delivery excl. VAT.
    page.goto(base + basket)
    lines = page.locator("#basket_formset")
    expect(lines).to_contain_text(re.compile(words["line"]))
    expect(lines).to_contain_text(re.compile(words["line2"]))
    expect(lines).not_to_contain_text(re.compile(words["wrong"]))
    expect(page.locator("#basket-shipping-net")).to_have_text(re.compile(words["ship_net"]))
    expect(page.locator("#basket-shipping-gross")).to_have_text(re.compile(words["ship_gross"]))
    shot("1-basket")

    # The review and the thank-you page say the same.
    page.goto(base + checkout)
    page.fill("input[name='first_name']", "Alice")
    page.fill("input[name='last_name']", "Martin")
    page.fill("input[name='line1']", "3 rue des Lilas")
    page.fill("input[name='line4']", "Lyon")
    page.fill("input[name='postcode']", "69003")
    page.locator("input[name='postcode']").press("Enter")
    page.wait_for_load_state()
    page.locator("#shipping_method_form [type=submit]").click()
    page.locator("#payment-transfer input").check()
    page.locator("#payment_method_submit").click()
    page.wait_for_selector("#place_order_form")
    review = page.locator(".review-line")
    expect(review.first).to_contain_text(re.compile(words["line"]))
    expect(review.last).to_contain_text(re.compile(words["line2"]))
    expect(page.locator("main")).not_to_contain_text(re.compile(words["wrong"]))
    shot("2-review")
    page.locator("input[name='accept_terms']").check()
    page.locator("#place-order").click()
    page.wait_for_selector(".review-table")
    expect(page.locator(".review-table")).to_contain_text(re.compile(words["line"]))
    expect(page.locator(".review-table")).to_contain_text(re.compile(words["line2"]))
    shot("3-thank-you")

    # 4: the transfer order, paid by card, says so and no longer how to pay.
    order = Order.objects.get(user=customer)
    page.goto(base + order_url(order, lang))
    expect(page.locator(".order-billing")).to_contain_text(words["transfer_help"])
    expect(page.locator("table").first).to_contain_text(re.compile(words["line"]))
    shot("4-order-reserved")
    record_payment(order_id=order.pk, amount=order.total_incl_tax, method="card")
    page.reload()
    billing = page.locator(".order-billing")
    expect(billing).to_contain_text(words["paid_by"])
    expect(billing).not_to_contain_text(words["transfer_help"])
    expect(page.locator("body")).not_to_contain_text(words["transfer_help"])
    shot("5-order-paid-by-card")

    # A card order, paid: no "pay securely on the next page".
    card = make_order(lines=[(transistor, 3)], user=customer, language=lang)
    t.order_reserve(order_id=card.pk)
    record_payment(order_id=card.pk, amount=card.total_incl_tax, method="card")
    page.goto(base + order_url(card, lang))
    expect(page.locator(".order-billing")).to_contain_text(words["paid_by"])
    expect(page.locator("body")).not_to_contain_text(words["card_help"])
    shot("6-card-paid")

    # 3: a cancelled order owes nothing.
    cancelled = make_order(lines=[(make_product(price="7.43"), 1)], user=customer, language=lang)
    t.order_cancel(order_id=cancelled.pk)
    page.goto(base + order_url(cancelled, lang))
    expect(page.locator(".order-payments")).not_to_contain_text(words["due"])
    expect(page.locator(".order-billing")).not_to_contain_text(words["card_help"])
    shot("7-cancelled")

    # A mandate's terms, once.
    mandate = make_order(
        lines=[(transistor, 2)], user=customer, payment_method="mandate", language=lang
    )
    page.goto(base + order_url(mandate, lang))
    expect(page.get_by_text(words["mandate_terms"])).to_have_count(1)
    shot("8-mandate")

"""A company buyer orders cheap parts by the ten (issue 10): the review
page, the confirmation email, the order page, the admin's order page and
the invoice PDF show the same totals, and the invoice's unit prices are the
catalogue's (0,38 € stays 0,38 €, never 0,3831 €)."""

import re
import subprocess

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from billing.documents.services import document_pdf
from billing.models import Document
from core.outbox.services import messages_send_due
from orders.services.transitions import order_payment_received, order_ship
from shop.customer.models import LegalEntity
from tests.factories import make_product

from .test_order_lifecycle import log_in

Country = get_model("address", "Country")
Order = get_model("order", "Order")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 40 × 0,38 + 10 × 6,50 = 80,20 HT; standard parcel 6,90 TTC = 5,75 HT;
# 85,95 HT, VAT round(85,95 × 20 %) = 17,19, 103,14 TTC.
NET, VAT, GROSS = "85,95", "17,19", "103,14"


def amounts_in(text: str) -> set[str]:
    """French amounts of a page or document (1 234,56), spaces unified."""
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    return set(re.findall(r"\d+,\d{2}(?!\d)", text))


def add(page, base, product, quantity):
    page.goto(base + product.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        action = reverse("basket:add", kwargs={"pk": product.pk})
    form = page.locator(f"form[action='{action}']")
    form.locator("input[name='quantity']").fill(str(quantity))
    form.locator("[type=submit]").click()
    page.wait_for_load_state()


def test_a_company_order_of_cheap_parts_shows_one_set_of_figures(
    page, browser, live_server, django_user_model
):
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    django_user_model.objects.create_superuser("claire", "claire@comptoir.example", "staff-pw")
    buyer = django_user_model.objects.create_user(
        "julien", "julien@robotique.example", "julien-pw", first_name="Julien", last_name="Moreau"
    )
    LegalEntity.objects.create(
        user=buyer,
        name="Robotique Lyonnaise SARL",
        siret="81234567800012",
        vat_number="FR12812345678",
        line1="4 rue de la Soie",
        postcode="69100",
        city="Villeurbanne",
    )
    resistor = make_product("Résistance 1 kΩ", mpn="CFR-25JB-1K0", price="0.38", stock=500)
    relay = make_product("Relais 5 V", mpn="G5LE-1-5VDC", price="6.50", stock=50)
    base = live_server.url
    with translation.override(settings.LANGUAGE_CODE):
        login_url = reverse("customer:login")
        checkout_url = reverse("checkout:index")

    log_in(page, base + login_url, "julien@robotique.example", "julien-pw", prefix="login-")
    add(page, base, resistor, 40)
    add(page, base, relay, 10)
    page.goto(base + checkout_url)
    page.fill("input[name='first_name']", "Julien")
    page.fill("input[name='last_name']", "Moreau")
    page.fill("input[name='line1']", "4 rue de la Soie")
    page.fill("input[name='line4']", "Villeurbanne")
    page.fill("input[name='postcode']", "69100")
    page.locator("input[name='postcode']").press("Enter")
    page.wait_for_load_state()
    page.locator("#shipping_method_form [type=submit]").click()
    page.locator("select[name='legal_entity']").select_option(label="Robotique Lyonnaise SARL")
    page.locator("#payment-transfer input").check()
    page.locator("#payment_method_submit").click()

    # The review.
    page.wait_for_selector("#place_order_form")
    assert page.locator("#total-net").inner_text().startswith(NET)
    assert page.locator("#total-vat").inner_text().startswith(VAT)
    assert page.locator("#order-total").inner_text().startswith(GROSS)
    assert {NET, VAT} <= amounts_in(page.locator(".vat-table").inner_text())
    page.locator("input[name='accept_terms']").check()
    page.locator("#place-order").click()
    page.wait_for_load_state()

    order = Order.objects.get(user=buyer)
    assert (str(order.total_excl_tax), str(order.total_incl_tax)) == ("85.95", "103.14")
    assert order.legal_entity is not None

    # The confirmation email.
    messages_send_due()
    [email] = [m for m in mail.outbox if order.number in m.subject]
    assert {NET, VAT, GROSS, "0,38", "6,50"} <= amounts_in(email.body)

    # The customer's order page.
    with translation.override(settings.LANGUAGE_CODE):
        page.goto(base + reverse("customer:order", kwargs={"order_number": order.number}))
    assert page.locator(".order-total-net").inner_text().startswith(NET)
    assert page.locator(".order-total-gross").inner_text().startswith(GROSS)
    assert VAT in amounts_in(page.locator(".order-vat-row").first.inner_text())

    # The admin's order page.
    staff = browser.new_context(locale="fr-FR").new_page()
    staff.set_default_timeout(10_000)
    with translation.override(settings.LANGUAGE_CODE):
        admin_login = reverse("admin:login")
        change_url = base + reverse("admin:order_order_change", args=[order.pk])
    log_in(staff, base + admin_login + "?next=/admin/", "claire", "staff-pw")
    staff.goto(change_url)
    assert {NET, VAT, GROSS} <= amounts_in(staff.locator(".order-vat-table").inner_text())
    staff.context.close()

    # The invoice, once paid and shipped: the catalogue's unit prices.
    order_payment_received(order_id=order.pk)
    order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A1")
    invoice = Document.objects.get(order=order, kind="invoice")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=document_pdf(invoice),
        capture_output=True,
        check=True,
    ).stdout.decode()
    found = amounts_in(text)
    assert {NET, VAT, GROSS, "0,38", "6,50", "15,20", "65,00", "5,75"} <= found
    assert not re.search(r"0,38\d|6,50\d", text)

"""Procurement on demand in a real browser: a public institution's buyer
asks for a quote by description; staff add two supplier offers and send
the quote (through the same services as the admin's buttons); the buyer
downloads the PDF, accepts with a purchase order, and staff find the order
in progress in the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from orders.statuses import OrderStatus
from procurement.models import QuoteRequest, RequestState, Supplier, SupplierOffer
from procurement.services.offers import offers_choose_best
from procurement.services.quotes import quote_send
from procurement.services.requests import quote_request_claim
from shop.customer.models import LegalEntity
from tests.procurement.conftest import pdf_bytes, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server, django_user_model, settings, tmp_path):
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 0
    settings.COMPTOIR_PRIVATE_ROOT = tmp_path / "private"
    from oscar.core.loading import get_model

    get_model("address", "Country").objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    staff = django_user_model.objects.create_superuser(
        "claire", "claire@comptoir.example", "staff-pw", first_name="Claire"
    )
    buyer = django_user_model.objects.create_user(
        "labo", "achats@univ-lyon.example", "buyer-pw", first_name="Inès", last_name="Roux"
    )
    LegalEntity.objects.create(
        user=buyer,
        kind=LegalEntity.Kind.PUBLIC_BODY,
        name="Université de Lyon — Laboratoire de physique",
        siret="73282932000074",
        line1="43 boulevard du 11 novembre",
        postcode="69100",
        city="Villeurbanne",
        chorus_service_code="LABO-PHY",
        verified_at=timezone.now(),
        verified_by=staff,
    )
    suppliers = [
        Supplier.objects.create(name="Farnell", lead_time_days=3),
        Supplier.objects.create(name="Conrad", lead_time_days=6),
    ]
    return {"staff": staff, "buyer": buyer, "suppliers": suppliers, "base": live_server.url}


def url(name, *args):
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def log_in(page, base, username, password):
    page.goto(base + url("customer:login"))
    page.fill("input[name='login-username']", username)
    page.fill("input[name='login-password']", password)
    page.locator("input[name='login-password']").press("Enter")
    page.wait_for_load_state()


def staff_quote(qr, shop):
    """What staff do from the request's admin page: claim, two offers,
    choose the best, send."""
    staff = shop["staff"]
    quote_request_claim(request_id=qr.pk, by=staff)
    line = qr.lines.get()
    for supplier, cost, lead in (
        (shop["suppliers"][0], "84.00", 4),
        (shop["suppliers"][1], "79.00", 9),
    ):
        SupplierOffer.objects.create(
            line=line,
            supplier=supplier,
            supplier_reference=f"{supplier.name[:3].upper()}-4711",
            unit_cost=Decimal(cost),
            lead_time_days=lead,
            shipping_cost=Decimal("9.90"),
            valid_until=timezone.localdate() + timedelta(days=20),
        )
    assert offers_choose_best(request_id=qr.pk, by=staff) == 1
    return quote_send(request_id=qr.pk, by=staff)


def test_an_institution_gets_a_quote_and_orders_with_its_purchase_order(
    page, shop, tmp_path, artifacts_dir
):
    base = shop["base"]
    log_in(page, base, "achats@univ-lyon.example", "buyer-pw")

    # The buyer asks for a quote by description.
    page.goto(base + url("procurement:request"))
    page.fill("textarea[name='lines-0-description']", "Thermocouple type K, 0-400 °C, probe 150 mm")
    page.fill("input[name='lines-0-quantity']", "3")
    page.select_option(
        "select[name='legal_entity']", label="Université de Lyon — Laboratoire de physique"
    )
    page.locator(".quote-form button[type='submit']").click()
    page.wait_for_load_state()
    qr = QuoteRequest.objects.get()
    expect(page.locator(".empty-state__title")).to_contain_text(qr.number)

    # Staff price it from two supplier offers and send the quote.
    quote = staff_quote(qr, shop)
    assert quote.lines.get().offer.supplier.name == "Conrad"  # no wished date: cheapest landed

    # The buyer sees it in "My quotes" and downloads the PDF.
    page.goto(base + url("procurement:list"))
    page.locator(f"a:text('{qr.number}')").click()
    expect(page.locator("#quote-pdf")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#quote-pdf").click()
    pdf_path = tmp_path / "devis.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    # The selects and the decline textarea stay inside the page (F9), even
    # with an organisation's long name.
    page.evaluate(
        """() => { for (const s of document.querySelectorAll('.quote-actions select'))
                     s.add(new Option('Université de Bourgogne Franche-Comté '.repeat(5)));
                   for (const t of document.querySelectorAll('.quote-actions textarea'))
                     t.cols = 160; }"""
    )
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.quote-actions select, .quote-actions textarea')]
                 .filter(el => el.getBoundingClientRect().right
                               > el.closest('.card').getBoundingClientRect().right + 1)
                 .map(el => el.name)"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # ...and accepts it with the institution's purchase order.
    po = tmp_path / "bon-de-commande.pdf"
    po.write_bytes(pdf_bytes())
    form = page.locator("#purchase-order-form")
    # Delivered where the purchase order says: the institution's address is
    # offered first and chosen.
    expect(form.locator("input[name='delivery']:checked")).to_have_count(1)
    form.locator("input[name='number']").fill("BC-2026-118")
    form.locator("input[name='file']").set_input_files(str(po))
    form.locator("button[type='submit']").click()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts_dir / "procurement-order.png"), full_page=True)

    quote.refresh_from_db()
    order = quote.order
    assert order is not None and order.status == OrderStatus.IN_PROGRESS
    assert (order.payment_method, order.purchase_order_number) == ("mandate", "BC-2026-118")
    assert (order.shipping_address.line1, order.shipping_address.postcode) == (
        "43 boulevard du 11 novembre",
        "69100",
    )
    assert QuoteRequest.objects.get().state == RequestState.ORDERED
    assert order.number in page.content()

    # Staff find the order in progress in the admin.
    page.context.clear_cookies()
    page.goto(base + url("admin:login"))
    page.fill("input[name='username']", "claire")
    page.fill("input[name='password']", "staff-pw")
    page.locator("input[type='submit']").click()
    page.goto(base + url("admin:order_order_changelist") + "?status__exact=in_progress")
    expect(page.locator("#result_list")).to_contain_text(order.number)

    # The request pages of the admin fit a 1280 px screen (F9): the sent
    # one (lines read-only) and an open one (lines editable, small widgets).
    open_request = submit(shop["buyer"])
    for pk in (qr.pk, open_request.pk):
        page.goto(base + url("admin:procurement_quoterequest_change", pk))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"]

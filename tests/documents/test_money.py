"""Issue 10, one money model: the order's agreed prices and totals are the
invoice's, credit notes split VAT by rate, and the Factur-X XML says the
same to the cent (EN 16931 BR-CO-10 to 17 on the issued documents)."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.documents import invoicing
from billing.documents.facturx import build_xml
from billing.documents.services import document_pdf
from billing.models import Document
from core.money import to_cents
from orders.amounts import order_totals, order_totals_store
from orders.services import transitions as t
from shop.customer.models import LegalEntity
from tests.factories import make_order, make_product

from .helpers import pdf_text

pytestmark = pytest.mark.django_db
NS = {
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
HEADER_TAX = "ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
REDUCED = {"service": "0.055"}  # make_product(track_stock=False) is class "service"


def company(user):
    return LegalEntity.objects.create(
        user=user,
        kind=LegalEntity.Kind.COMPANY,
        name="Robotique Lyonnaise SARL",
        siret="81234567800012",
        vat_number="FR12812345678",
        line1="4 rue de la Soie",
        postcode="69100",
        city="Villeurbanne",
    )


def shipped_invoice(order, pickup=True):
    t.order_ship(order_id=order.pk, pickup=True)
    return Document.objects.get(order=order, kind="invoice")


def test_a_company_invoice_prints_the_agreed_unit_prices_and_the_order_totals(customer):
    """Before: parts at 0,38 € and 6,50 € HT were printed 0,3831 € and
    6,5008 € (split back from prices incl. VAT), and the invoice's
    totals differed from the order's. Now the invoice reproduces the
    order: unit prices as agreed, and its totals to the cent."""
    resistor = make_product("Resistor 1 kΩ", price="0.38", stock=1000, mpn="CFR-25JB-1K0")
    relay = make_product("Relay 5 V", price="6.50", stock=100, mpn="G5LE-1-5VDC")
    order = make_order(
        lines=[(resistor, 250), (relay, 37)],
        user=customer,
        legal_entity=company(customer),
        payment_method="transfer",
        paid_at=timezone.now(),
        status="picking",
    )
    # 95,00 + 240,50 = 335,50 HT; VAT round(335,50 × 20 %) = 67,10.
    assert (order.total_excl_tax, order.total_incl_tax) == (Decimal("335.50"), Decimal("402.60"))

    invoice = shipped_invoice(order)

    data = invoicing.document_data(invoice)
    assert [line.unit_price_excl for line in data.lines] == [Decimal("0.38"), Decimal("6.50")]
    assert [line.total_excl for line in data.lines] == [Decimal("95.00"), Decimal("240.50")]
    assert (invoice.total_excl_tax, invoice.total_vat, invoice.total_incl_tax) == (
        Decimal("335.50"),
        Decimal("67.10"),
        Decimal("402.60"),
    )
    text = pdf_text(document_pdf(invoice)).replace("\u202f", " ")
    assert "0,38 €" in text and "6,50 €" in text
    assert "0,3831" not in text and "6,5008" not in text and "0,3800" not in text


def test_the_invoice_is_refused_when_the_order_total_is_not_its_lines(customer):
    """The order's stored total is what was charged: an invoice that would
    say otherwise is not issued."""
    part = make_product("Timer", price="1.00", stock=10)
    order = make_order(lines=[(part, 3)], user=customer, status="picking", paid_at=timezone.now())
    type(order).objects.filter(pk=order.pk).update(total_incl_tax=Decimal("3.59"))
    with pytest.raises(Exception, match="would total"):
        shipped_invoice(order)
    assert not Document.objects.filter(order=order, kind="invoice").exists()


def test_a_credit_note_by_amount_splits_its_vat_over_the_invoice_rates(customer, staff, settings):
    """Before: a partial credit note by amount on an invoice with 20 % and
    5,5 % lines put all of its VAT at 20 %. Now each rate takes its share
    of the amount, pro rata to what the rate totals, VAT = base × rate."""
    settings.COMPTOIR_VAT_RATES = REDUCED
    part = make_product("Timer", price="10.00", stock=100)
    book = make_product("Art of Electronics", price="50.00", stock=5, track_stock=False)
    order = make_order(
        lines=[(part, 10), (book, 1)], user=customer, status="picking", paid_at=timezone.now()
    )
    # 20 %: 100,00 + 20,00; 5,5 %: 50,00 + 2,75 → 172,75.
    assert order.total_incl_tax == Decimal("172.75")
    invoice = shipped_invoice(order)

    note = invoicing.credit_note_issue(
        invoice_id=invoice.pk,
        by=staff,
        reason="Goodwill",
        lines=invoicing.credit_lines_for_amount(invoice, Decimal("50.00"), "Commercial gesture"),
    )

    data = invoicing.document_data(note)
    rows = {row.rate: row for row in data.vat_breakdown}
    assert set(rows) == {Decimal("0.20"), Decimal("0.055")}
    for row in rows.values():
        assert row.amount == to_cents(row.base * row.rate)
    # 50,00 × 120 / 172,75 = 34,73 at 20 %; 15,27 at 5,5 %.
    assert rows[Decimal("0.20")].base + rows[Decimal("0.20")].amount == Decimal("34.73")
    assert rows[Decimal("0.055")].base + rows[Decimal("0.055")].amount == Decimal("15.27")
    assert note.total_incl_tax == Decimal("50.00")


def test_a_credit_note_for_lines_takes_each_lines_rate(customer, staff, settings):
    settings.COMPTOIR_VAT_RATES = REDUCED
    part = make_product("Timer", price="10.00", stock=100)
    book = make_product("Art of Electronics", price="50.00", stock=5, track_stock=False)
    order = make_order(
        lines=[(part, 10), (book, 1)], user=customer, status="picking", paid_at=timezone.now()
    )
    invoice = shipped_invoice(order)
    original = invoicing.document_data(invoice)
    note = invoicing.credit_note_issue(
        invoice_id=invoice.pk, by=staff, reason="Returned", lines=[original.lines[1]]
    )
    [row] = invoicing.document_data(note).vat_breakdown
    assert (row.rate, row.base, row.amount) == (Decimal("0.055"), Decimal("50.00"), Decimal("2.75"))


# --- the order, its invoice, its credit notes and the Factur-X XML agree ----------------


def amounts(xml: bytes) -> dict:
    """The figures of a CII XML: line nets, the VAT table, the header sums."""
    root = ElementTree.fromstring(xml)
    lines = [
        Decimal(el.text)
        for el in root.iterfind(".//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount", NS)
    ]
    taxes = [
        (
            Decimal(tax.findtext("ram:RateApplicablePercent", namespaces=NS)),
            Decimal(tax.findtext("ram:BasisAmount", namespaces=NS)),
            Decimal(tax.findtext("ram:CalculatedAmount", namespaces=NS)),
        )
        for tax in root.iterfind(f".//{HEADER_TAX}", NS)
    ]
    summary = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    header = {child.tag.split("}")[1]: Decimal(child.text) for child in summary}
    return {"lines": lines, "taxes": taxes, "header": header}


def check_en16931(figures: dict) -> None:
    header = figures["header"]
    assert sum(figures["lines"], Decimal(0)) == header["LineTotalAmount"]  # BR-CO-10
    assert header["TaxBasisTotalAmount"] == header["LineTotalAmount"]  # BR-CO-13
    assert (
        sum((vat for _r, _b, vat in figures["taxes"]), Decimal(0)) == header["TaxTotalAmount"]
    )  # BR-CO-14
    assert header["GrandTotalAmount"] == header["TaxBasisTotalAmount"] + header["TaxTotalAmount"]
    for percent, base, vat in figures["taxes"]:
        assert vat == to_cents(base * percent / 100)  # BR-CO-17


line_strategy = st.tuples(
    st.sampled_from(["composant", "service"]),
    st.integers(min_value=1, max_value=1_000_000).map(lambda cents: Decimal(cents) / 100),
    st.integers(min_value=1, max_value=10_000),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(line_strategy, min_size=1, max_size=4),
    shipping=st.sampled_from(["0", "5.75", "12.42"]),
    credit_share=st.integers(min_value=1, max_value=99),
)
def test_order_invoice_credit_notes_and_facturx_agree_to_the_cent(
    lines, shipping, credit_share, customer, institution, staff, settings
):
    """For random orders of parts at 20 % and books at 5,5 %: the invoice's
    totals are the order's; a credit note by amount and one for a line have
    VAT = base × rate per rate; each Factur-X XML (parsed) holds BR-CO-10 to
    17 and prints the figures of its document."""
    settings.COMPTOIR_VAT_RATES = REDUCED
    products = [
        (make_product(price=str(price), stock=0, track_stock=kind == "composant"), quantity)
        for kind, price, quantity in lines
    ]
    order = make_order(
        lines=products,
        user=customer,
        legal_entity=institution,
        purchase_order_number="BC-1",
        payment_method="mandate",
        status="picking",
    )
    order.shipping_excl_tax = Decimal(shipping)
    order.shipping_incl_tax = Decimal(shipping) * Decimal("1.2")
    order.shipping_tax_code = "0.20"
    order.save()
    agreed = order_totals_store(order)

    invoice = shipped_invoice(order)
    data = invoicing.document_data(invoice)
    assert (invoice.total_excl_tax, invoice.total_vat, invoice.total_incl_tax) == (
        agreed.net,
        agreed.vat,
        agreed.gross,
    )
    assert invoice.total_incl_tax == order.total_incl_tax == order_totals(order).gross
    assert [line.unit_price_excl for line in data.lines[: len(lines)]] == [
        price for _kind, price, _q in lines
    ]
    figures = amounts(build_xml(data))
    check_en16931(figures)
    assert figures["header"]["GrandTotalAmount"] == order.total_incl_tax

    amount = to_cents(agreed.gross * credit_share / 100)
    by_amount = invoicing.credit_note_issue(
        invoice_id=invoice.pk,
        by=staff,
        reason="Goodwill",
        lines=invoicing.credit_lines_for_amount(invoice, amount, "Commercial gesture"),
    )
    note = invoicing.document_data(by_amount)
    assert abs(by_amount.total_incl_tax - amount) <= Decimal("0.01")
    note_figures = amounts(build_xml(note))
    check_en16931(note_figures)
    assert note_figures["header"]["GrandTotalAmount"] == by_amount.total_incl_tax
    assert {row.rate for row in note.vat_breakdown} <= {row.rate for row in data.vat_breakdown}

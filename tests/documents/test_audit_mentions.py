"""What a French audit (and the 2026 e-invoicing reform) looks for on a
document besides its figures: the nature of the operation (PDF and BT-23),
the customer's SIREN, the delivery party and address (PDF and XML), the
seller's SIRET beside its SIREN in the XML, addresses with the postcode
before the city and the country by name, one date format per language,
part numbers never broken, unit prices with the decimals agreed."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from lxml import etree
from oscar.core.loading import get_model

from billing.documents.data import Line, Nature
from billing.documents.facturx import build_xml
from billing.documents.parties import buyer_for_order
from billing.documents.rendering import render_html, render_pdf
from billing.templatetags.billing_documents import ref_column, unit_amount
from tests.factories import make_order, make_product

from .helpers import institution_buyer, pdf_text, person_buyer, sample_data, sample_lines

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def xml_values(xml: bytes, path: str) -> list[str]:
    return [node.text for node in etree.fromstring(xml).xpath(path, namespaces=NS)]


BT23 = "//rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"


def service_line() -> Line:
    return Line(
        description="Calibration",
        quantity=1,
        unit_price_excl=Decimal("90"),
        vat_rate=Decimal("0.20"),
        nature=Nature.SERVICES,
    )


@pytest.mark.parametrize(
    ("lines", "paid", "code", "label"),
    [
        (sample_lines(), False, "B1", "Delivery of goods"),
        (sample_lines(), True, "B2", "Delivery of goods"),
        ([service_line()], False, "S1", "Provision of services"),
        ([*sample_lines(), service_line()], False, "M1", "Delivery of goods and provision"),
    ],
)
def test_nature_of_the_operation_on_the_pdf_and_as_bt23(lines, paid, code, label):
    data = sample_data(language="en", number="FA-2026-00010", lines=lines, paid=paid)
    assert xml_values(build_xml(data), BT23) == [code]
    assert label in pdf_text(render_pdf(data))


def test_siren_siret_and_delivery_in_the_xml():
    """The seller's SIRET (0009) beside its SIREN (0002); a company buyer's
    SIREN as its legal registration and SIRET as its identifier; the
    delivery party and address (BG-13, BG-15)."""
    buyer = institution_buyer(
        is_public_body=False,
        shipping_name="Université Claude Bernard Lyon 1",
        shipping_contact="Marie Curie",
        shipping_address=["21 avenue Claude Bernard", "69100 Villeurbanne", "Belgique"],
    )
    xml = build_xml(sample_data(number="FA-2026-00011", buyer=buyer))
    seller = "//ram:SellerTradeParty"
    assert xml_values(xml, f"{seller}/ram:GlobalID[@schemeID='0009']") == ["73282932000074"]
    assert xml_values(xml, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID") == ["732829320"]
    buyer_path = "//ram:BuyerTradeParty"
    assert xml_values(xml, f"{buyer_path}/ram:GlobalID") == ["19691774400019"]
    assert xml_values(
        xml, f"{buyer_path}/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']"
    ) == ["196917744"]
    ship_to = "//ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty"
    assert xml_values(xml, f"{ship_to}/ram:Name") == ["Université Claude Bernard Lyon 1"]
    address = f"{ship_to}/ram:PostalTradeAddress"
    assert xml_values(xml, f"{address}/ram:PostcodeCode") == ["69100"]
    assert xml_values(xml, f"{address}/ram:CityName") == ["Villeurbanne"]
    assert xml_values(xml, f"{address}/ram:LineOne") == ["21 avenue Claude Bernard"]
    assert xml_values(xml, f"{address}/ram:CountryID") == ["BE"]


def test_a_public_body_keeps_its_siret_for_chorus_and_a_pickup_has_no_delivery_party():
    buyer = institution_buyer(shipping_address=["Collected at the shop"])
    xml = build_xml(sample_data(number="FA-2026-00012", buyer=buyer))
    legal = "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0009']"
    assert xml_values(xml, legal) == ["19691774400019"]
    assert xml_values(xml, "//ram:ShipToTradeParty/ram:Name") == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_customers_siren_is_printed_as_such(language):
    text = pdf_text(render_pdf(sample_data(language=language, number="FA-2026-00013")))
    assert "SIREN 196917744" in text and "SIRET 19691774400019" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "country"), [("fr", "Belgique"), ("en", "Belgium")])
def test_order_addresses_postcode_first_country_by_name_company_in_delivery(
    customer, institution, language, country
):
    """Given an institution's order shipped to a lab in Belgium, the billed
    and delivery blocks print "postcode city" then the country's name in
    the document's language, and the delivery block names the institution."""
    Country = get_model("address", "Country")
    Country.objects.get_or_create(
        iso_3166_1_a2="BE", defaults={"name": "Belgium", "printable_name": "Belgium"}
    )
    Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    shipping = get_model("order", "ShippingAddress").objects.create(
        first_name="Marie",
        last_name="Curie",
        line1="Rue de la Loi 42",
        line4="Bruxelles",
        postcode="1040",
        country_id="BE",
    )
    order = make_order(
        lines=[(make_product(price="2.00"), 1)],
        user=customer,
        legal_entity=institution,
        shipping_address=shipping,
    )
    with translation.override(language):
        buyer = buyer_for_order(order)
    assert buyer.billing_address[-2:] == [
        "69622 Villeurbanne",
        "France",
    ]
    assert buyer.shipping_name == institution.name
    assert buyer.shipping_contact == "Marie Curie"
    assert buyer.shipping_address == ["Rue de la Loi 42", "1040 Bruxelles", country]
    html = render_html(sample_data(language=language, number="FA-2026-00014", buyer=buyer))
    delivered = html.split("party", 3)[-1]
    assert institution.name in delivered and "1040 Bruxelles" in delivered
    assert "BE<" not in html and ">FR<" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("fr", "16/11/2026"), ("en", "11/16/2026")])
def test_one_date_format_per_language(picking_order, language, expected):
    """Every date on a document, including "paid on", in the language's
    one format."""
    from billing.documents.invoicing import order_document_data

    paid_at = timezone.make_aware(datetime.datetime(2026, 11, 16, 10))
    order = picking_order(paid_at=paid_at, language=language)
    data = order_document_data(order, kind="invoice", date=datetime.date(2026, 11, 23))
    assert expected in data.payment_terms
    html = render_html(data)
    assert ("23/11/2026" if language == "fr" else "11/23/2026") in html
    other = "11/16/2026" if language == "fr" else "16/11/2026"
    assert other not in html


def test_part_numbers_are_never_broken_inside():
    long_ref = "ERM8-040-05.0-L-DV-K-TR"
    lines = [dataclasses.replace(sample_lines()[0], part_number=long_ref)]
    column = ref_column(lines)
    assert not column["wraps"]
    assert float(column["width"].removesuffix("mm")) >= len(long_ref) * 1.5
    html = render_html(sample_data(number="FA-2026-00015", lines=lines))
    assert f'<td class="ref">{long_ref}</td>' in html
    assert "break-all" not in html
    text = pdf_text(render_pdf(sample_data(number="FA-2026-00015", lines=lines)))
    assert long_ref in text.replace(" ", "")


@pytest.mark.parametrize(
    ("price", "printed"),
    [("0.38", "0,38"), ("0.3800", "0,38"), ("6.5", "6,50"), ("0.125", "0,125"), ("12", "12,00")],
)
def test_unit_prices_keep_the_decimals_they_were_agreed_with(price, printed):
    with translation.override("fr"):
        assert unit_amount(Decimal(price)).startswith(printed + "\u202f")


def test_a_person_gets_no_siren_line():
    html = render_html(sample_data(number="FA-2026-00016", buyer=person_buyer()))
    assert "SIREN" not in html


@pytest.mark.django_db
def test_an_order_line_whose_product_needs_no_shipping_is_a_service(customer):
    from billing.documents.facturx import business_process
    from billing.documents.invoicing import order_document_data

    service = make_product("Calibration certificate", price="90.00", track_stock=False)
    product_class = service.get_product_class()
    product_class.requires_shipping = False
    product_class.save()
    part = make_product("Timer NE555", price="0.40")
    order = make_order(lines=[(part, 10), (service, 1)], user=customer)
    data = order_document_data(order, kind="invoice")
    assert [line.nature for line in data.lines] == [Nature.GOODS, Nature.SERVICES]
    assert business_process(data) == "M1"

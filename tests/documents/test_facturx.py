"""Factur-X for public bodies: the CII XML is valid against the Factur-X
XSD (EN 16931), embedded in a PDF/A-3, and says what the PDF says."""

import io
from decimal import Decimal

import pytest
from facturx import get_level, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from billing.documents.data import References
from billing.documents.facturx import build_xml, extract_xml, postal_address, render_facturx_pdf
from billing.documents.services import document_pdf

from .helpers import pdf_text, sample_data, screenshot

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def xml_value(root, path):
    return root.xpath(path, namespaces=NS)[0].text


def french_amount(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"


@pytest.mark.parametrize("kind", ["invoice", "credit_note"])
def test_facturx_pdf_embeds_valid_xml_matching_the_pdf(kind):
    """Given an invoice (or credit note) to a public body, when rendered as
    Factur-X, then the embedded XML validates against the EN 16931 XSD,
    carries the PO number and the service code, and its totals are those
    printed on the PDF."""
    references = (
        References(order_number="T1", invoice_number="FA-2026-00007")
        if kind == "credit_note"
        else References(order_number="T1")
    )
    data = sample_data(
        kind,
        number="FA-2026-00042" if kind == "invoice" else "AV-2026-00003",
        references=references,
        reason="Retour",
    )
    pdf = render_facturx_pdf(data)
    screenshot(pdf, f"facturx-{kind}")
    xml = extract_xml(pdf)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    assert get_level(root) == "en16931"
    assert xml_value(root, "//rsm:ExchangedDocument/ram:TypeCode") == (
        "380" if kind == "invoice" else "381"
    )
    assert xml_value(root, "//ram:BuyerReference") == "SERV-LMI-042"
    assert (
        xml_value(root, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID")
        == "BC-2026-00871"
    )
    totals = {
        name: Decimal(
            xml_value(root, f"//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:{name}")
        )
        for name in ("LineTotalAmount", "TaxTotalAmount", "GrandTotalAmount")
    }
    assert totals == {
        "LineTotalAmount": data.total_excl,
        "TaxTotalAmount": data.total_vat,
        "GrandTotalAmount": data.total_incl,
    }
    text = pdf_text(pdf)
    for amount in totals.values():
        assert french_amount(amount) in text
    if kind == "credit_note":
        assert (
            xml_value(root, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID")
            == "FA-2026-00007"
        )
    # A PDF/A-3 with the XML as an associated file.
    reader = PdfReader(io.BytesIO(pdf))
    assert "factur-x.xml" in reader.attachments
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in metadata or "<pdfaid:part>3</pdfaid:part>" in metadata
    assert "EN 16931" in metadata


def test_quote_cannot_be_facturx():
    from billing.documents.facturx import FacturXError

    with pytest.raises(FacturXError):
        build_xml(sample_data("quote", number="DE-2026-00001"))


def test_postal_address_is_split_for_the_xml():
    assert postal_address(["12 rue des Artisans", "69007 Lyon", "France"]) == {
        "line_one": "12 rue des Artisans",
        "line_two": "",
        "postcode": "69007",
        "city": "Lyon",
        "country": "FR",
    }


@pytest.mark.django_db
def test_institution_order_ships_with_a_facturx_invoice(facturx_invoice):
    invoice = facturx_invoice
    root = etree.fromstring(extract_xml(document_pdf(invoice)))
    assert xml_value(root, "//rsm:ExchangedDocument/ram:ID") == invoice.number
    assert xml_value(root, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == "BC-9"
    assert (
        xml_value(root, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
        == "19691774400019"
    )
    assert Decimal(xml_value(root, "//ram:DuePayableAmount")) == invoice.total_incl_tax


@pytest.mark.django_db
def test_entity_country_printed_by_name_and_coded_in_the_xml(picking_order, institution):
    """F11: the institution's address ends with "France", not "FR"; the
    Factur-X XML still carries the code."""
    from oscar.core.loading import get_model

    from billing.documents.invoicing import buyer_for_order

    get_model("address", "Country").objects.update_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    order = picking_order(legal_entity=institution)
    buyer = buyer_for_order(order)
    assert buyer.billing_address[-1] == "France"
    assert "FR" not in buyer.billing_address
    xml = build_xml(sample_data(buyer=buyer, number="FA-2026-00009"))
    root = etree.fromstring(xml)
    country = "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID"
    assert xml_value(root, country) == "FR"
    assert xml_value(root, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CityName")
    assert b">France<" not in xml

"""Factur-X (EN 16931 profile) for invoices and credit notes to public
bodies: the CII XML built from the same DocumentData as the PDF, checked
against the Factur-X XSD offline, embedded in a PDF/A-3b.

WeasyPrint renders the PDF/A-3b (embedded fonts, sRGB output intent); the
``factur-x`` package then embeds ``factur-x.xml`` with its AFRelationship
and writes the XMP metadata Factur-X readers look for (profile, file name,
the PDF/A extension schema). CEN's EN 16931 Schematron is not run here
(it lives beside the repository): CI runs it on three documents made by
the real services (``scripts/en16931_samples.py``, a step of ``.ci/run``).
The XML and the PDF are built from the same DocumentData, so they print
the same figures by construction (the tests compare them).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .addresses import postal_address
from .data import DocumentData, Kind, Nature
from .mentions import late_payment_notes
from .rendering import render_pdf

__all__ = ["build_xml", "extract_xml", "postal_address", "render_facturx_pdf"]

TYPE_CODES = {Kind.INVOICE: "380", Kind.CREDIT_NOTE: "381"}
LEVEL = "en16931"


class FacturXError(ValueError):
    pass


# BT-23, the French "cadre de facturation" (2026 e-invoicing reform): the
# nature of the operation (B goods, S services, M both), then 1 for an
# invoice to pay, 2 for one already paid.
BUSINESS_PROCESS_LETTER = {Nature.GOODS: "B", Nature.SERVICES: "S", Nature.MIXED: "M"}


def business_process(data: DocumentData) -> str:
    paid = data.kind == Kind.INVOICE and data.paid
    return BUSINESS_PROCESS_LETTER[data.operation_nature] + ("2" if paid else "1")


def build_xml(data: DocumentData) -> bytes:
    """The CII XML of an invoice or credit note, checked against the XSD."""
    if data.kind not in TYPE_CODES:
        raise FacturXError(f"A {data.kind} cannot be Factur-X.")
    from facturx import xml_check_xsd

    is_credit_note = data.kind == Kind.CREDIT_NOTE
    # BG-13/BG-15: where the goods go, when they go somewhere (not a pickup).
    ship_to = postal_address(data.buyer.shipping_address, data.buyer.country)
    if not (ship_to["postcode"] and ship_to["city"]):
        ship_to = None
    with translation.override(data.language):
        notes = late_payment_notes(data)
        if data.reason:
            notes.append(("AAI", data.reason))
        xml = render_to_string(
            "billing/documents/factur-x.xml",
            {
                "doc": data,
                "type_code": TYPE_CODES[data.kind],
                "is_credit_note": is_credit_note,
                "notes": notes,
                "seller_address": postal_address(data.seller.address_lines),
                "buyer_address": postal_address(data.buyer.billing_address, data.buyer.country),
                "ship_to_address": ship_to,
                "business_process": business_process(data),
                "iban": data.seller.iban.replace(" ", ""),
                "prepaid": data.total_incl - data.amount_due,
                "due": data.amount_due,
            },
        )
    xml_bytes = xml.strip().encode("utf-8")
    xml_check_xsd(xml_bytes, flavor="factur-x", level=LEVEL)
    return xml_bytes


def render_facturx_pdf(data: DocumentData) -> bytes:
    """The PDF/A-3b of the document with its Factur-X XML embedded."""
    from facturx import generate_from_binary

    xml = build_xml(data)
    pdf = render_pdf(data, pdf_variant="pdf/a-3b")
    with translation.override(data.language):
        title = f"{data.number}"
    return generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level=LEVEL,
        check_xsd=False,  # build_xml checked it
        pdf_metadata={
            "author": data.seller.name,
            "keywords": "Factur-X",
            "title": title,
            "subject": f"{data.kind} {data.number}",
        },
        lang=data.language,
        afrelationship="data",
    )


def extract_xml(pdf: bytes) -> bytes:
    from facturx import get_facturx_xml_from_pdf

    _filename, xml = get_facturx_xml_from_pdf(pdf, check_xsd=True)
    return xml

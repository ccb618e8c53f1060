"""Factur-X (EN 16931 profile) for invoices and credit notes to public
bodies: the CII XML built from the same DocumentData as the PDF, checked
against the Factur-X XSD offline, embedded in a PDF/A-3b.

WeasyPrint renders the PDF/A-3b (embedded fonts, sRGB output intent); the
``factur-x`` package then embeds ``factur-x.xml`` with its AFRelationship
and writes the XMP metadata Factur-X readers look for (profile, file name,
the PDF/A extension schema). Schematron rules need a Saxon server and do
not run here: our totals are derived once in DocumentData, so the XML and
the PDF print the same figures by construction (the tests compare them).
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import translation

from .data import DocumentData, Kind
from .rendering import render_pdf
from .selectors import country_name

TYPE_CODES = {Kind.INVOICE: "380", Kind.CREDIT_NOTE: "381"}
LEVEL = "en16931"
POSTCODE_CITY = re.compile(r"^\s*(\d{4,5})\s+(.+?)\s*(?:cedex.*)?$", re.IGNORECASE)
COUNTRY_NAMES = {"france": "FR", "fr": "FR"}


class FacturXError(ValueError):
    pass


def postal_address(lines: list[str], country: str = "FR") -> dict:
    """Street lines, postcode, city and country from printed address lines
    ("12 rue des Artisans", "69007 Lyon", "France")."""
    lines = [line.strip() for line in lines if line and line.strip()]
    if lines and (lines[-1].lower() in COUNTRY_NAMES or re.fullmatch(r"[A-Z]{2}", lines[-1])):
        country = COUNTRY_NAMES.get(lines[-1].lower(), lines[-1])
        lines = lines[:-1]
    elif lines and not POSTCODE_CITY.match(lines[-1]) and lines[-1] == country_name(country):
        # The buyer's country printed by name ("Belgique"): its code is given.
        lines = lines[:-1]
    postcode = city = ""
    for index in range(len(lines) - 1, -1, -1):
        match = POSTCODE_CITY.match(lines[index])
        if match:
            postcode, city = match.group(1), match.group(2)
            lines = lines[:index] + lines[index + 1 :]
            break
    return {
        "line_one": lines[0] if lines else "",
        "line_two": ", ".join(lines[1:]),
        "postcode": postcode,
        "city": city,
        "country": country or "FR",
    }


def build_xml(data: DocumentData) -> bytes:
    """The CII XML of an invoice or credit note, checked against the XSD."""
    if data.kind not in TYPE_CODES:
        raise FacturXError(f"A {data.kind} cannot be Factur-X.")
    from facturx import xml_check_xsd

    is_credit_note = data.kind == Kind.CREDIT_NOTE
    with translation.override(data.language):
        notes = []
        if data.buyer.is_business and not is_credit_note:
            notes.append(
                (
                    "PMT",
                    translation.gettext(
                        "Fixed indemnity of €40 for recovery costs in case of late payment."
                    ),
                )
            )
            notes.append(
                (
                    "PMD",
                    translation.gettext(
                        "Late payment penalties: three times the French legal interest rate."
                    ),
                )
            )
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

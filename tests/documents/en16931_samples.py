"""The three documents CI hands to CEN's EN 16931 Schematron (.ci/run):
an institution's Factur-X invoice, a partial credit note on it, and a
company invoice at two VAT rates, each made through the real services
(order, shipping, invoicing, credit note) on the current database.

Used by ``scripts/en16931_samples.py`` (CI, a throw-away transaction on
the test database) and by test_en16931_samples.py (``make test``, which
runs without the validator)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import translation
from oscar.core.loading import get_model

from billing.documents.facturx import build_xml, extract_xml
from billing.documents.invoicing import credit_lines_for_amount, credit_note_issue
from billing.documents.services import document_data, document_pdf
from billing.models import Document
from orders.services import transitions
from shop.customer.models import LegalEntity
from tests.factories import make_institution, make_order, make_product

NAMES = ("institution-invoice", "partial-credit-note", "two-rate-invoice")


def _address(name: str, line1: str, postcode: str, city: str):
    Country = get_model("address", "Country")
    Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    return get_model("order", "ShippingAddress").objects.create(
        first_name=name.split()[0],
        last_name=name.split()[-1],
        line1=line1,
        line4=city,
        postcode=postcode,
        country_id="FR",
    )


def _book(title: str, price: str):
    product = make_product(title, price=price, stock=50, mpn="ISBN-9780521809269")
    books, _created = get_model("catalogue", "ProductClass").objects.get_or_create(
        slug="books", defaults={"name": "Books", "track_stock": True}
    )
    product.product_class = books
    product.save(update_fields=["product_class"])
    return product


def _shipped_invoice(order) -> Document:
    transitions.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A123")
    return Document.objects.get(order=order, kind="invoice")


def build_samples(folder: Path) -> dict[str, Path]:
    """Makes the three documents and writes each one's CII XML (and PDF)
    into ``folder``; returns {name: xml path}."""
    folder.mkdir(parents=True, exist_ok=True)
    user = get_user_model().objects.create_user(
        username="en16931-sample",
        email="achats@univ.example",
        first_name="Marie",
        last_name="Curie",
    )
    institution = make_institution(user)
    company = LegalEntity.objects.create(
        user=user,
        name="Atelier Lumière SARL",
        siret="73282932000074",
        vat_number="FR44732829320",
        line1="8 quai Saint-Vincent",
        postcode="69001",
        city="Lyon",
    )
    resistor = make_product("Metal film resistor 10 kΩ", price="0.38", stock=500)
    connector = make_product("Connector ERM8 40 pins", price="6.50", stock=50)
    book = _book("The Art of Electronics", "80.00")
    with translation.override("fr"):
        institution_order = make_order(
            lines=[(resistor, 25), (connector, 3)],
            user=user,
            status="picking",
            payment_method="mandate",
            legal_entity=institution,
            purchase_order_number="BC-2026-00871",
            shipping_address=_address(
                "Marie Curie", "21 avenue Claude Bernard", "69100", "Villeurbanne"
            ),
            language="fr",
        )
        institution_invoice = _shipped_invoice(institution_order)
        credit_note = credit_note_issue(
            invoice_id=institution_invoice.pk,
            reason="Geste commercial",
            lines=credit_lines_for_amount(
                institution_invoice, Decimal("10.00"), "Geste commercial"
            ),
        )
        company_order = make_order(
            lines=[(resistor, 12), (book, 1)],
            user=user,
            status="picking",
            payment_method="transfer",
            legal_entity=company,
            shipping_address=_address("Paul Durand", "8 quai Saint-Vincent", "69001", "Lyon"),
            language="fr",
        )
        company_invoice = _shipped_invoice(company_order)
    documents = {
        "institution-invoice": (
            institution_invoice,
            extract_xml(document_pdf(institution_invoice)),
        ),
        "partial-credit-note": (credit_note, extract_xml(document_pdf(credit_note))),
        # Not Factur-X (a company, not a public body): the XML it would carry.
        "two-rate-invoice": (company_invoice, build_xml(document_data(company_invoice))),
    }
    paths = {}
    for name, (document, xml) in documents.items():
        (folder / f"{name}.pdf").write_bytes(document_pdf(document))
        paths[name] = folder / f"{name}.xml"
        paths[name].write_bytes(xml)
    return paths

"""The quote's PDF. The documents app (``billing.documents``) numbers and
renders every business document from one layout; while it is not
installed, procurement renders its own page with WeasyPrint and numbers
quotes from their id."""

import importlib.util
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import pricing


def documents_available() -> bool:
    return importlib.util.find_spec("billing.documents.services") is not None


def quote_pdf_issue(quote, *, by=None) -> None:
    """Give the quote its number and PDF (a new one each time it is sent)."""
    if documents_available():
        _issue_with_documents(quote, by=by)
    else:
        _issue_own(quote)


def quote_pdf_bytes(quote) -> bytes:
    if quote.document_id:
        from billing.documents.services import document_pdf
        from billing.models import Document

        return document_pdf(Document.objects.get(pk=quote.document_id))
    with quote.pdf.open("rb") as handle:
        return handle.read()


def quote_pdf_filename(quote) -> str:
    return f"{quote.number}.pdf"


def _lines_and_fees(quote):
    from django.utils.translation import gettext as _

    rows = [
        (line.title, line.reference, line.quantity, line.unit_price_excl_tax)
        for line in quote.lines.order_by("position", "pk")
    ]
    for label, amount in (
        (_("Shipping"), quote.shipping_excl_tax),
        (_("Handling fee"), quote.handling_fee),
        (_("Research fee"), quote.research_fee),
    ):
        if amount:
            rows.append((str(label), "", 1, amount))
    return rows


def _issue_with_documents(quote, *, by) -> None:
    from billing.documents.data import Buyer, DocumentData, Kind, Line, References
    from billing.documents.services import issue_document

    qr = quote.request
    entity = qr.legal_entity
    with translation.override(qr.language):
        rows = _lines_and_fees(quote)
    buyer = Buyer(
        name=qr.contact_name,
        entity_name=entity.name if entity else qr.organisation_name,
        siret=entity.siret if entity else "",
        vat_number=entity.vat_number if entity else "",
        billing_address=entity.address_lines if entity else [],
        email=qr.email,
        country=entity.country if entity else "FR",
        chorus_service_code=entity.chorus_service_code if entity else "",
        is_business=bool(entity or qr.organisation_name),
        is_public_body=bool(entity and entity.kind == entity.Kind.PUBLIC_BODY),
    )
    data = DocumentData(
        kind=Kind.QUOTE,
        buyer=buyer,
        lines=[
            Line(
                description=title,
                part_number=reference,
                quantity=quantity,
                unit_price_excl=unit_price,
                vat_rate=quote.vat_rate,
            )
            for title, reference, quantity, unit_price in rows
        ],
        date=timezone.localdate(),
        language=qr.language,
        due_date=quote.valid_until,
        references=References(quote_number=qr.number),
    )
    document = issue_document(
        data,
        kind=Kind.QUOTE,
        issued_by=by,
        customer=qr.user,
        source_label="procurement.quote",
        source_reference=qr.number,
    )
    quote.number, quote.document_id = document.number, document.pk
    quote.save(update_fields=["number", "document_id"])


def _issue_own(quote) -> None:
    import weasyprint

    qr = quote.request
    if not quote.number:
        quote.number = f"DV{timezone.localdate():%y}-{quote.pk:05d}"
    with translation.override(qr.language):
        html = render_to_string(
            "procurement/pdf/quote.html",
            {
                "quote": quote,
                "qr": qr,
                "rows": [
                    (title, reference, quantity, price, pricing.money(price * quantity))
                    for title, reference, quantity, price in _lines_and_fees(quote)
                ],
                "today": timezone.localdate(),
                "legal": settings.COMPTOIR_LEGAL,
            },
        )
    pdf = weasyprint.HTML(string=html).write_pdf()
    quote.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    quote.save(update_fields=["number", "pdf"])

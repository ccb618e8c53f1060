"""The quote's PDF, issued by the documents app (``billing.documents``):
numbered in the quote sequence, rendered from the shared layout, stored
with its checksum. The quote keeps the document's number and id."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.documents.addresses import entity_address_lines
from billing.documents.data import Buyer, DocumentData, Kind, Line, References
from billing.documents.services import document_pdf, issue_document

# Said on the request page and on every quote: what "sourced" means.
SOURCED_GOODS_NOTICE = gettext_lazy(
    "Sourced goods are bought for you from our suppliers and shipped to you as we receive "
    "them: we do not unbox or test them."
)


def quote_pdf_issue(quote, *, by=None) -> None:
    """Give the quote its number and PDF (a new one each time it is sent)."""
    qr = quote.request
    with translation.override(qr.language):
        rows = _lines_and_fees(quote)
        buyer = _buyer(qr)
        notes = str(SOURCED_GOODS_NOTICE)
    document = issue_document(
        DocumentData(
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
            notes=notes,
        ),
        kind=Kind.QUOTE,
        issued_by=by,
        customer=qr.user,
        source_label="procurement.quote",
        source_reference=qr.number,
    )
    quote.number, quote.document_id = document.number, document.pk
    quote.save(update_fields=["number", "document_id"])


def quote_pdf_bytes(quote) -> bytes:
    from billing.models import Document

    return document_pdf(Document.objects.get(pk=quote.document_id))


def quote_pdf_filename(quote) -> str:
    return f"{quote.number}.pdf"


def _buyer(qr) -> Buyer:
    """Who the quote is addressed to: the organisation (its name, address,
    SIRET and Chorus Pro service code) and the person asking, or the person
    alone. In the request's language (the country is printed by name)."""
    entity = qr.legal_entity
    if entity is None:
        address = [line.strip() for line in qr.organisation_address.splitlines() if line.strip()]
        return Buyer(
            name=qr.contact_name,
            entity_name=qr.organisation_name,
            siret=qr.organisation_siret,
            billing_address=address,
            email=qr.email,
            chorus_service_code=qr.organisation_service_code,
            is_business=bool(qr.organisation_name),
        )
    return Buyer(
        name=qr.contact_name,
        entity_name=entity.name,
        siret=entity.siret,
        vat_number=entity.vat_number,
        billing_address=entity_address_lines(entity),
        email=qr.email,
        country=entity.country,
        chorus_service_code=entity.chorus_service_code,
        is_business=True,
        is_public_body=entity.kind == entity.Kind.PUBLIC_BODY,
    )


def _lines_and_fees(quote) -> list[tuple]:
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

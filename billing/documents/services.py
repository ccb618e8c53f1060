"""Issuing documents: the one way a Document row comes to exist.

``issue_document`` numbers, renders and stores in one transaction (the
caller's, when it has one: the invoice is issued inside the "shipped"
move). The PDF is rendered synchronously, inside that transaction, while
the kind's sequence row is locked: the number and its PDF exist together or
not at all, with no window where a customer sees an invoice without its
file and no sweep to write. Rendering takes about 0.15 to 0.3 s, so
documents of one kind are issued at a few per second at most: far above
what a small reseller issues.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Document

from . import numbering, rendering
from .data import DocumentData, Kind
from .exceptions import DocumentError, DocumentTampered

logger = logging.getLogger(__name__)


def _local_today():
    return timezone.localdate()


def issue_document(
    data: DocumentData | Callable[[], DocumentData],
    *,
    kind: str | None = None,
    issued_by=None,
    customer=None,
    order=None,
    source_label: str = "",
    source_reference: str = "",
    refers_to: Document | None = None,
    facturx: bool = False,
    email_to: str = "",
) -> Document:
    """Number, render and store a document; returns the saved Document.

    ``data`` is a DocumentData (its ``number`` is filled in here; its
    ``date`` should be today), or a callable building one inside the
    transaction. ``kind``, when given, must match ``data.kind``.
    ``customer`` is the account that may download it (none: staff only).
    ``facturx`` makes an invoice or credit note a Factur-X PDF/A-3.
    ``email_to`` queues an email with the PDF attached, sent after commit.
    """
    with transaction.atomic():
        if callable(data):
            data = data()
        if kind and data.kind != kind:
            raise DocumentError(
                f"Asked for a {kind} but the data describes a {data.kind}."  # programming error
            )
        if facturx and data.kind not in Kind.ACCOUNTING:
            raise DocumentError("Only invoices and credit notes can be Factur-X.")
        number, n = numbering.number_allocate(kind=data.kind, year=data.date.year)
        data = data.with_number(number)
        if facturx:
            from .facturx import render_facturx_pdf

            pdf = render_facturx_pdf(data)
        else:
            pdf = rendering.render_pdf(data)
        document = Document.objects.create(
            kind=data.kind,
            number=number,
            year=data.date.year,
            sequence_number=n,
            date=data.date,
            language=data.language,
            order=order,
            source_label=source_label,
            source_reference=source_reference,
            customer=customer if customer is not None else getattr(order, "user", None),
            issued_by=issued_by,
            refers_to=refers_to,
            data=data.to_json(),
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            total_excl_tax=data.total_excl,
            total_vat=data.total_vat,
            total_incl_tax=data.total_incl,
            currency=data.currency,
            is_facturx=facturx,
            chorus_status=Document.ChorusStatus.PENDING if facturx else "",
        )
        if email_to:
            from .emails import document_email_queue

            document_email_queue(document=document, recipient=email_to, requested_by=issued_by)
    return document


def document_data(document: Document) -> DocumentData:
    """The data the document was issued with."""
    return DocumentData.from_json(document.data)


def document_pdf(document: Document, *, duplicate: bool = False) -> bytes:
    """The PDF as issued, checked against the checksum recorded when it was
    issued, or a copy marked "duplicate" rendered from the same data (the
    original stays as it was). Raises DocumentTampered on a mismatch."""
    pdf = document_pdf_verified(document)
    if not duplicate:
        return pdf
    import dataclasses

    return rendering.render_pdf(dataclasses.replace(document_data(document), duplicate=True))


def pdf_checksum_ok(document: Document) -> bool:
    return hashlib.sha256(bytes(document.pdf)).hexdigest() == document.sha256


def document_pdf_verified(document: Document) -> bytes:
    """The stored PDF, only when its SHA-256 is the one recorded at issue.
    A mismatch means the row was altered outside the application (the
    database trigger refuses it, so someone lifted it): logged as an error
    for staff, and refused."""
    pdf = bytes(document.pdf)
    actual = hashlib.sha256(pdf).hexdigest()
    if actual != document.sha256:
        logger.error(
            "Document %s: stored PDF does not match its checksum (recorded %s, found %s); refused.",
            document.number,
            document.sha256,
            actual,
        )
        raise DocumentTampered(
            _(
                "Document %(number)s cannot be delivered: its stored file does not match "
                "the one issued. Our staff have been alerted."
            )
            % {"number": document.number}
        )
    return pdf

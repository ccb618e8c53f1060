"""Issuing documents: the one way a Document row comes to exist, and the
one way its PDF is made.

``issue_document`` numbers the document and stores its data and totals in
one transaction (the caller's, when it has one: the invoice is issued
inside the "shipped" move), with an empty PDF: the kind's sequence row is
locked for the few queries of the insert, not for a render (0.3 s a page),
so shipments issue their invoices side by side and stay gapless.

The PDF is rendered after commit, by ``document_pdf_render``, on three
paths: the ``document_render`` task asked on commit (the fast path); the
beat job every minute for whatever is still without its PDF (broker down,
worker crash: ``documents_render_pending``); and on demand, by the readers
(``document_pdf``, ``document_pdf_verified``: the download, the emails, the
Chorus Pro deposit), so no one is ever handed a number without its PDF.
The PDF is stored by one conditional UPDATE (``fill_pdf``: only while the
checksum is empty), so two renderers racing store it once, and the one
that loses serves what the winner stored; the database refuses any later
change (billing migration 0007).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

from celery.exceptions import SoftTimeLimitExceeded
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
    """Number and store a document; returns the saved Document, its PDF
    still empty: rendered once the transaction commits (module docstring).

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
            pdf=b"",
            sha256="",
            total_excl_tax=data.total_excl,
            total_vat=data.total_vat,
            total_incl_tax=data.total_incl,
            currency=data.currency,
            is_facturx=facturx,
            chorus_status=Document.ChorusStatus.PENDING if facturx else "",
        )
        # Asked before the email, so the PDF is rendered before the email needs it.
        pk = document.pk
        transaction.on_commit(lambda: _render_enqueue([pk]))
        if email_to:
            from .emails import document_email_queue

            document_email_queue(document=document, recipient=email_to, requested_by=issued_by)
    return document


def _render_enqueue(document_ids: list[int]) -> None:
    from .tasks import document_render

    try:
        document_render.delay(document_ids=document_ids)
    except Exception:  # the broker is down: the beat job or the first reader renders it
        logger.warning(
            "Could not queue the rendering of documents %s; left to the sweep",
            document_ids,
            exc_info=True,
        )


def _stored_pdf(document_id: int) -> tuple[bytes, str] | None:
    row = (
        Document.objects.filter(pk=document_id)
        .exclude(sha256="")
        .values_list("pdf", "sha256")
        .first()
    )
    return (bytes(row[0]), row[1]) if row else None


def document_pdf_render(*, document: Document) -> bytes:
    """The document's PDF, rendered from its data and stored if it has none
    yet (the one fill the database allows), else the one stored. Sets
    ``document.pdf`` and ``document.sha256``. Renders outside any lock; of
    two renderers racing, one stores, the other reads what it stored."""
    stored = _stored_pdf(document.pk)
    if stored is None:
        data = document_data(document)
        if document.is_facturx:
            from .facturx import render_facturx_pdf

            pdf = render_facturx_pdf(data)
        else:
            pdf = rendering.render_pdf(data)
        if Document.objects.filter(pk=document.pk).fill_pdf(pdf):
            stored = (pdf, hashlib.sha256(pdf).hexdigest())
        else:
            stored = _stored_pdf(document.pk)
            if stored is None:
                raise Document.DoesNotExist(f"Document {document.pk} is gone.")
    document.pdf, document.sha256 = stored
    return stored[0]


def documents_render_pending(
    *, document_ids: Iterable[int] | None = None, batch_size: int = 50
) -> int:
    """Render the documents still without their PDF (``document_ids``, the
    on-commit fast path; none: any, oldest first, for the beat job). One
    that fails is logged and left for the next run; one the fast path is
    rendering at the same moment may be rendered twice, and is stored once.
    Returns how many now have their PDF."""
    pending = Document.objects.filter(sha256="").defer("pdf").order_by("pk")
    if document_ids is not None:
        pending = pending.filter(pk__in=list(document_ids))
    done = 0
    for document in pending[:batch_size]:
        try:
            document_pdf_render(document=document)
        except SoftTimeLimitExceeded:
            raise  # the rest waits for the next run
        except Exception:
            logger.exception("Document %s: its PDF could not be rendered.", document.number)
        else:
            done += 1
    return done


def document_data(document: Document) -> DocumentData:
    """The data the document was issued with."""
    return DocumentData.from_json(document.data)


def document_pdf(document: Document, *, duplicate: bool = False) -> bytes:
    """The PDF as issued (rendered now if it is not yet), checked against
    its recorded checksum, or a copy marked "duplicate" rendered from the
    same data (the original stays as it was). Raises DocumentTampered on a
    mismatch."""
    pdf = document_pdf_verified(document)
    if not duplicate:
        return pdf
    import dataclasses

    return rendering.render_pdf(dataclasses.replace(document_data(document), duplicate=True))


def pdf_checksum_ok(document: Document) -> bool:
    return hashlib.sha256(bytes(document.pdf)).hexdigest() == document.sha256


def document_pdf_verified(document: Document) -> bytes:
    """The stored PDF (rendered and stored first if it is not yet), only
    when its SHA-256 is the one recorded with it. A mismatch means the row
    was altered outside the application (the database trigger refuses it,
    so someone lifted it): logged as an error for staff, and refused."""
    if not document.sha256:
        document_pdf_render(document=document)
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

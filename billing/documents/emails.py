"""Documents sent by email, through an outbox (DESIGN.md rule 6).

The DocumentEmail row is written in the transaction that issues (or
re-sends) the document; after commit a task sends it, and the beat sweep
sends whatever the task missed (broker down, provider error).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from billing.models import Document, DocumentEmail

from .services import document_pdf

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def document_email_queue(*, document: Document, recipient: str, requested_by=None, duplicate=False):
    email = DocumentEmail.objects.create(
        document=document, recipient=recipient, requested_by=requested_by, duplicate=duplicate
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from billing.documents.tasks import document_email_send

    try:
        document_email_send.delay(email_id)
    except Exception:  # the broker is down: the beat sweep sends it
        logger.warning("Could not queue document email %s; left pending", email_id)


def document_email_send(*, email_id: int) -> bool:
    """Send one pending document email; True when sent. Two workers never
    send the same row: it is claimed with skip_locked."""
    with transaction.atomic():
        email = (
            DocumentEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("document")
            .filter(pk=email_id, status=DocumentEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            _deliver(email)
        except Exception as exc:
            logger.warning("Document email %s failed: %s", email.pk, exc)
            email.last_error = str(exc)[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = DocumentEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            return False
        email.status = DocumentEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def document_emails_send_pending(*, batch_size: int = 100) -> int:
    ids = list(
        DocumentEmail.objects.filter(status=DocumentEmail.Status.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return sum(document_email_send(email_id=pk) for pk in ids)


def _deliver(email: DocumentEmail) -> None:
    document = email.document
    with translation.override(document.language):
        context = {
            "document": document,
            "kind_label": document.get_kind_display(),
            "duplicate": email.duplicate,
            "legal": settings.COMPTOIR_LEGAL,
        }
        subject = render_to_string("billing/documents/email/subject.txt", context).strip()
        body = render_to_string("billing/documents/email/body.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[email.recipient],
        headers={"X-Comptoir-Document": document.number},
    )
    message.attach(
        document.filename, document_pdf(document, duplicate=email.duplicate), "application/pdf"
    )
    message.send()

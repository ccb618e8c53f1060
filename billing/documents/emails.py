"""Documents sent by email, through the outbox (core.outbox, DESIGN.md rule 6).

The message is written in the transaction that issues (or re-sends) the
document and rendered when sent (the PDF attached, marked "duplicate" for a
copy the customer asked for); the outbox's task sends it after commit, and
its beat job sends whatever the task missed (broker down, provider error).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from billing.models import Document
from core.outbox.models import OutboxMessage
from core.outbox.renderers import Content, renderer_register
from core.outbox.selectors import messages_about
from core.outbox.services import outbox_message, outbox_queue

from .services import document_pdf

DOCUMENT_RENDERER = "billing.document"


def document_email_queue(
    *, document: Document, recipient: str, requested_by=None, duplicate=False
) -> OutboxMessage:
    """Queue ``document`` to ``recipient`` in the caller's transaction; the
    message is about the document's order (else the document itself)."""
    [message] = outbox_queue(
        [
            outbox_message(
                about=document.order if document.order_id else document,
                ref=document,
                renderer=DOCUMENT_RENDERER,
                payload={"document_id": document.pk, "duplicate": duplicate},
                channel=OutboxMessage.Channel.EMAIL,
                recipient=recipient,
                created_by=requested_by,
            )
        ]
    )
    return message


def document_emails(document: Document):
    """The emails of ``document``, oldest first."""
    return messages_about(document).filter(channel=OutboxMessage.Channel.EMAIL)


def document_duplicate_waiting(document: Document) -> OutboxMessage | None:
    """A duplicate of ``document`` asked for and not sent yet."""
    return (
        document_emails(document)
        .filter(payload__duplicate=True, status=OutboxMessage.Status.PENDING)
        .first()
    )


@renderer_register(DOCUMENT_RENDERER, label=gettext_lazy("Document by email"))
def render_document_email(message) -> Content:
    document = Document.objects.get(pk=message.payload["document_id"])
    duplicate = bool(message.payload.get("duplicate"))
    with translation.override(document.language):
        context = {
            "document": document,
            "kind_label": document.get_kind_display(),
            "duplicate": duplicate,
            "legal": settings.COMPTOIR_LEGAL,
        }
        subject = render_to_string("billing/documents/email/subject.txt", context).strip()
        body = render_to_string("billing/documents/email/body.txt", context)
    return Content(
        subject=subject,
        text=body,
        attachments=[
            (document.filename, document_pdf(document, duplicate=duplicate), "application/pdf")
        ],
        headers={"X-Comptoir-Document": document.number},
    )

"""Asking suppliers for a quote by email, from a quote request: one thread
per (request, supplier); the supplier's answer comes back to it through
the thread's signed Reply-To, and staff record the offer from it."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Conversation, ConversationKind, MessageSource
from .threads import conversation_open, message_post


def supplier_request_text(*, quote_request, lines=None) -> str:
    """The default message to suppliers: each line's details, quantity and
    wished date (in the shop's language; staff may edit it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "conversations/email/supplier_request.txt",
            {
                "qr": quote_request,
                "lines": list(lines if lines is not None else quote_request.lines.all()),
                "legal": settings.COMPTOIR_LEGAL,
            },
        ).strip()


def supplier_thread(*, quote_request, supplier, opened_by=None) -> Conversation:
    found = Conversation.objects.filter(
        kind=ConversationKind.SUPPLIER, quote_request=quote_request, supplier=supplier
    ).first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Request for quotation %(number)s") % {"number": quote_request.number}
    return conversation_open(
        kind=ConversationKind.SUPPLIER,
        subject=subject,
        quote_request=quote_request,
        supplier=supplier,
        opened_by=opened_by,
        language=settings.LANGUAGE_CODE,
    )


def suppliers_ask_quote(*, quote_request, suppliers: Iterable, body: str, by) -> list[Conversation]:
    """Email ``body`` to each supplier from the request's thread with them."""
    threads = []
    with transaction.atomic():
        for supplier in suppliers:
            thread = supplier_thread(quote_request=quote_request, supplier=supplier, opened_by=by)
            message_post(
                conversation=thread,
                body=body,
                author=by,
                by_staff=True,
                source=MessageSource.ADMIN,
            )
            threads.append(thread)
    return threads

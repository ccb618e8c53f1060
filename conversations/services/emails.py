"""The emails a message causes: staff's answer to the customer (or the
supplier), the other side's message to staff. Written through the outbox
(core.outbox) about the conversation, so they carry its signed Reply-To."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message
from orders.selectors import order_path
from procurement.services.requests import request_url

from ..models import AuthorKind, Conversation, ConversationKind, Message


def base_url() -> str:
    return settings.COMPTOIR_BASE_URL.rstrip("/")


def conversation_customer_url(conversation: Conversation) -> str:
    """Where the customer reads the thread ("" when they cannot: a guest's
    contact form, whose answers come by email only)."""
    if conversation.kind in (ConversationKind.SUPPLIER, ConversationKind.INBOUND):
        return ""
    if conversation.kind == ConversationKind.ORDER and conversation.order_id:
        return base_url() + order_path(conversation.order) + "#conversation"
    if conversation.kind == ConversationKind.QUOTE_REQUEST and conversation.quote_request_id:
        return request_url(conversation.quote_request) + "#conversation"
    if conversation.customer_id:
        return base_url() + reverse("conversations:detail", kwargs={"pk": conversation.pk})
    return ""


def staff_recipients(conversation: Conversation) -> list[str]:
    """Who among staff hears of a new message: whoever handles the thread,
    else the after-sales addresses (COMPTOIR_CONVERSATIONS_STAFF_EMAILS)."""
    handler = conversation.claimed_by
    if handler is not None and handler.email:
        return [handler.email]
    return list(settings.COMPTOIR_CONVERSATIONS_STAFF_EMAILS)


def message_emails(conversation: Conversation, message: Message) -> list[OutboxMessage]:
    attachments = [a.original_name for a in message.attachments.all()]
    if message.author_kind == AuthorKind.STAFF:
        if not conversation.email:
            return []
        with translation.override(conversation.language or settings.LANGUAGE_CODE):
            context = {
                "conversation": conversation,
                "message": message,
                "attachments": attachments,
                "thread_url": conversation_customer_url(conversation),
                "legal": settings.COMPTOIR_LEGAL,
                "to_supplier": conversation.kind == ConversationKind.SUPPLIER,
            }
            subject = _("Re: %(subject)s") % {"subject": conversation.subject}
            return [
                outbox_message(
                    about=conversation,
                    ref=message,
                    channel=OutboxMessage.Channel.EMAIL,
                    recipient=conversation.email,
                    subject=subject[:255],
                    body_text=render_to_string("conversations/email/answer.txt", context),
                    body_html=render_to_string("conversations/email/answer.html", context),
                    created_by=message.author,
                    dedupe_key=f"conversation-message:{message.pk}",
                )
            ]
    if message.author_kind not in (AuthorKind.CUSTOMER, AuthorKind.SUPPLIER):
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "conversation": conversation,
            "message": message,
            "attachments": attachments,
            "admin_url": base_url()
            + reverse("admin:conversations_conversation_change", args=[conversation.pk]),
        }
        subject = _("New message: %(subject)s") % {"subject": conversation.subject}
        body = render_to_string("conversations/email/staff_notice.txt", context)
    return [
        outbox_message(
            about=conversation,
            ref=message,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=email,
            # Staff answer in the admin, where the answer is recorded.
            reply_to="",
            subject=subject[:255],
            body_text=body,
            dedupe_key=f"conversation-message:{message.pk}:{email}"[:200],
        )
        for email in staff_recipients(conversation)
    ]

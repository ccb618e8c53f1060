"""The Contact page's form: a message that opens a conversation, in the
order's thread when the order number and the email match (never on the
number alone), else a contact thread; the sender gets an acknowledgement
carrying the thread's Reply-To, so they can go on by email."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message, outbox_queue
from procurement.services.requests import FileInput

from ..models import AuthorKind, Conversation, ConversationKind, Message, MessageSource
from .emails import conversation_customer_url
from .threads import conversation_for_order, conversation_open, message_post

Order = get_model("order", "Order")


def contact_order(*, number: str, email: str, user=None):
    """The order ``number`` when ``email`` (or the signed-in customer) is
    its customer's, else None."""
    number = (number or "").strip()
    if not number:
        return None
    order = Order.objects.filter(number__iexact=number).select_related("user").first()
    if order is None:
        return None
    if user is not None and getattr(user, "is_authenticated", False) and order.user_id == user.pk:
        return order
    if email and order.email and order.email.strip().lower() == email.strip().lower():
        return order
    return None


def contact_message_receive(
    *,
    name: str,
    email: str,
    body: str,
    order_number: str = "",
    attachments: Sequence[FileInput] = (),
    user=None,
) -> Message:
    user = user if getattr(user, "is_authenticated", False) else None
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    with transaction.atomic():
        order = contact_order(number=order_number, email=email, user=user)
        if order is not None:
            conversation = conversation_for_order(order=order)
        else:
            subject = _("Message from %(name)s") % {"name": name}
            if order_number:
                subject += " · " + _("order %(number)s (unverified)") % {
                    "number": order_number.strip()[:40]
                }
            conversation = conversation_open(
                kind=ConversationKind.CONTACT,
                subject=subject,
                customer=user,
                email=email,
                language=language,
            )
        message = message_post(
            conversation=conversation,
            body=body,
            author=user,
            author_kind=AuthorKind.CUSTOMER,
            attachments=attachments,
            source=MessageSource.WEB,
            from_email=email,
        )
        outbox_queue([_acknowledgement(conversation, message, name=name, email=email)])
    return message


def _acknowledgement(conversation: Conversation, message: Message, *, name: str, email: str):
    with translation.override(conversation.language or settings.LANGUAGE_CODE):
        context = {
            "name": name,
            "message": message,
            "conversation": conversation,
            "thread_url": conversation_customer_url(conversation),
            "legal": settings.COMPTOIR_LEGAL,
        }
        return outbox_message(
            about=conversation,
            ref=message,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=email,
            subject=_("We have received your message"),
            body_text=render_to_string("conversations/email/contact_received.txt", context),
            dedupe_key=f"conversation-message:{message.pk}:ack",
        )

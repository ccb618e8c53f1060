"""Opening a conversation, posting a message (stored, and emailed to the
other side through the outbox in the same transaction, with the thread's
signed Reply-To), claiming, closing."""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.outbox.services import outbox_queue
from procurement.services.requests import FileInput

from ..exceptions import ConversationError
from ..models import (
    Attachment,
    AuthorKind,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Message,
    MessageSource,
)
from .emails import message_emails

MAX_BODY = 20_000


def _language(order=None, quote_request=None) -> str:
    if order is not None and order.language:
        return str(order.language)
    if quote_request is not None and quote_request.language:
        return str(quote_request.language)
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def conversation_open(
    *,
    kind: str,
    subject: str,
    customer=None,
    email: str = "",
    order=None,
    quote_request=None,
    supplier=None,
    opened_by=None,
    language: str = "",
) -> Conversation:
    """A new thread. Its customer and email default to the order's or the
    request's; a supplier thread writes to the supplier. ``opened_by`` is
    the staff member who opened it on someone's behalf (a phone call)."""
    if kind not in ConversationKind.values:
        raise ConversationError(_("Unknown kind of conversation."))
    if order is not None:
        customer = customer or order.user
        email = email or order.email
    if quote_request is not None and kind != ConversationKind.SUPPLIER:
        customer = customer or quote_request.user
        email = email or quote_request.email
    if supplier is not None:
        email = email or supplier.email
    if customer is not None and not email:
        email = customer.email
    return Conversation.objects.create(
        kind=kind,
        subject=str(subject)[:255],
        customer=customer,
        email=email or "",
        order=order,
        quote_request=quote_request,
        supplier=supplier,
        language=language or _language(order, quote_request),
        claimed_by=opened_by if getattr(opened_by, "is_staff", False) else None,
    )


def _get_or_open(lookup: dict, **opening) -> Conversation:
    found = Conversation.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return conversation_open(**opening)
    except IntegrityError:  # opened meanwhile by another request
        return Conversation.objects.get(**lookup)


def conversation_for_order(*, order) -> Conversation:
    """The order's customer thread (opened on first use)."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = _("Order %(number)s") % {"number": order.number}
    return _get_or_open(
        {"kind": ConversationKind.ORDER, "order": order},
        kind=ConversationKind.ORDER,
        subject=subject,
        order=order,
    )


def conversation_for_quote_request(*, quote_request) -> Conversation:
    """The quote request's customer thread (opened on first use)."""
    with translation.override(quote_request.language or settings.LANGUAGE_CODE):
        subject = _("Quote request %(number)s") % {"number": quote_request.number}
    return _get_or_open(
        {"kind": ConversationKind.QUOTE_REQUEST, "quote_request": quote_request},
        kind=ConversationKind.QUOTE_REQUEST,
        subject=subject,
        quote_request=quote_request,
    )


def _author_kind(conversation: Conversation, by_staff: bool) -> str:
    if by_staff:
        return AuthorKind.STAFF
    if conversation.kind == ConversationKind.SUPPLIER:
        return AuthorKind.SUPPLIER
    return AuthorKind.CUSTOMER


def attachment_store(*, message: Message, upload: FileInput) -> Attachment:
    checked = upload.checked
    attachment = Attachment(
        message=message,
        token=secrets.token_hex(16),
        extension=checked.extension,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    attachment.file.save("upload", ContentFile(checked.content), save=False)
    attachment.save()
    return attachment


def message_post(
    *,
    conversation: Conversation,
    body: str,
    author=None,
    by_staff: bool = False,
    attachments: Iterable[FileInput] = (),
    source: str = MessageSource.WEB,
    author_kind: str = "",
    from_email: str = "",
    provider_message_id: str = "",
    notify: bool = True,
) -> Message:
    """Store a message (``attachments`` already checked: procurement's
    ``check_upload``) and, in the same transaction, email the other side
    through the outbox: staff's answer to the customer or supplier, a
    customer's or supplier's message to staff. A closed thread reopens."""
    body = (body or "").strip()
    attachments = list(attachments)
    if not body and not attachments:
        raise ConversationError(_("The message is empty."))
    if len(body) > MAX_BODY:
        raise ConversationError(_("The message is too long."))
    now = timezone.now()
    kind = author_kind or _author_kind(conversation, by_staff)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = Message.objects.create(
            conversation=locked,
            author=author if getattr(author, "is_authenticated", False) else None,
            author_kind=kind,
            from_email=from_email or getattr(author, "email", "") or "",
            body=body,
            source=source,
            created_at=now,
            provider_message_id=provider_message_id[:255],
        )
        for upload in attachments:
            attachment_store(message=message, upload=upload)
        fields = ["status", "updated_at"]
        if kind == AuthorKind.STAFF:
            locked.last_staff_message_at = now
            locked.status = ConversationStatus.WAITING
            fields.append("last_staff_message_at")
            if locked.claimed_by_id is None and getattr(author, "is_staff", False):
                locked.claimed_by = author
                fields.append("claimed_by")
        elif kind in (AuthorKind.CUSTOMER, AuthorKind.SUPPLIER):
            locked.last_customer_message_at = now
            locked.status = ConversationStatus.OPEN
            fields.append("last_customer_message_at")
        locked.save(update_fields=fields)
        conversation.__dict__.update(
            {f: getattr(locked, f) for f in ("status", "claimed_by_id", "updated_at")}
        )
        conversation.last_staff_message_at = locked.last_staff_message_at
        conversation.last_customer_message_at = locked.last_customer_message_at
        if notify:
            outbox_queue(message_emails(locked, message))
    return message


def conversation_claim(*, conversation_id: int, by) -> Conversation:
    """A staff member takes the thread (anyone may take it over)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        conversation.claimed_by = by
        conversation.save(update_fields=["claimed_by", "updated_at"])
    return conversation


def conversation_close(*, conversation_id: int, by=None) -> Conversation:
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        conversation.status = ConversationStatus.CLOSED
        conversation.save(update_fields=["status", "updated_at"])
    return conversation


def conversation_reopen(*, conversation_id: int, by=None) -> Conversation:
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        conversation.status = ConversationStatus.OPEN
        conversation.save(update_fields=["status", "updated_at"])
    return conversation


def conversation_for_target(*, label: str, pk: int) -> Conversation | None:
    """The thread of what a signed pass or a reply address names (an order,
    a quote request, a conversation); None when it does not exist."""
    from django.apps import apps

    if label == "conversations.conversation":
        return Conversation.objects.filter(pk=pk).first()
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        return None
    if label == "order.order":
        return conversation_for_order(order=obj)
    if label == "procurement.quoterequest":
        return conversation_for_quote_request(quote_request=obj)
    return None

"""An email received through the inbound webhook (django-anymail's
``inbound`` signal, conversations.receivers) becomes a message:

- sent to a thread's signed Reply-To (core.replies) by the thread's own
  customer or supplier: a message in that thread;
- sent to the procurement address (COMPTOIR_PROCUREMENT_EMAIL): a quote
  request for staff to complete, linked to the sender's account when the
  address is theirs;
- anything else (an unknown sender, an unknown or tampered address): a new
  "unsorted" conversation for staff to triage, never attached to someone's
  order.

The quoted history is stripped; files are checked as the quote files are
(oversized or not a PDF/image: refused and named in a note, the rest kept);
a replayed webhook (same provider message id) is stored once."""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.replies import reply_target
from procurement.services.requests import FileInput, quote_request_from_email
from procurement.services.uploads import check_upload

from ..models import AuthorKind, Conversation, ConversationKind, Message, MessageSource
from .threads import (
    conversation_for_quote_request,
    conversation_for_target,
    conversation_open,
    message_post,
)

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10


@dataclass
class InboundEmail:
    """What the receiver takes from the provider's payload."""

    provider_id: str
    from_email: str
    from_name: str = ""
    recipients: Sequence[str] = ()
    subject: str = ""
    text: str = ""
    html: str = ""
    # The reply without its quoted history, when the provider gave it.
    stripped_text: str = ""
    # (filename, content, content type as sent)
    attachments: Sequence[tuple[str, bytes, str]] = field(default_factory=list)


# Where the quoted history of a reply starts: "On … wrote:", "Le … a écrit :",
# Outlook's separators and headers.
_QUOTE_STARTS = [
    re.compile(r"^\s*On .{0,200}wrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le .{0,200}a [ée]crit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Message d'origine|Forwarded message)", re.I),
    re.compile(r"^\s*_{10,}\s*$"),
    re.compile(r"^\s*(From|De)\s*:\s.+", re.IGNORECASE),
]


def reply_strip(text: str) -> str:
    """The new part of a reply: up to where the quoted history starts, with
    quoted (">") lines and a trailing signature separator left out."""
    kept: list[str] = []
    lines = (text or "").replace("\r\n", "\n").split("\n")
    for n, line in enumerate(lines):
        if any(pattern.match(line) for pattern in _QUOTE_STARTS):
            break
        # "On Mon, 1 Jan 2026 at 10:00, Shop <" \n "reply+…> wrote:" (wrapped)
        if n + 1 < len(lines) and re.match(r"^\s*(On|Le) ", line, re.I):
            joined = f"{line} {lines[n + 1]}"
            if any(pattern.match(joined) for pattern in _QUOTE_STARTS[:2]):
                break
        if line.startswith(">"):
            continue
        if line.rstrip() == "--":
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _body(email: InboundEmail) -> str:
    if email.stripped_text and email.stripped_text.strip():
        return email.stripped_text.strip()
    text = email.text or strip_tags(email.html or "")
    return reply_strip(text)


def _checked_files(email: InboundEmail) -> tuple[list[FileInput], list[str]]:
    """The attachments that pass the upload checks, and a line for each refused."""
    kept, refused = [], []
    for n, (name, content, content_type) in enumerate(email.attachments):
        name = (name or f"attachment-{n + 1}")[:255]
        if n >= MAX_ATTACHMENTS:
            refused.append(_("“%(name)s”: too many files in one email.") % {"name": name})
            continue
        try:
            checked = check_upload(SimpleUploadedFile(name, content, content_type or ""))
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
            continue
        kept.append(FileInput(checked, name))
    return kept, refused


def _addresses(values: Sequence[str]) -> list[str]:
    return [addr.strip().lower() for _name, addr in getaddresses(list(values)) if addr]


def _known_sender(conversation: Conversation, sender: str) -> bool:
    """Is ``sender`` the thread's own customer or supplier?"""
    known = {conversation.email}
    if conversation.customer_id and conversation.customer is not None:
        known.add(conversation.customer.email)
    if conversation.order_id and conversation.order is not None:
        known.add(conversation.order.email)
    if conversation.quote_request_id and conversation.quote_request is not None:
        known.add(conversation.quote_request.email)
    if conversation.supplier_id and conversation.supplier is not None:
        known.add(conversation.supplier.email)
    return sender in {address.strip().lower() for address in known if address}


def _account(sender: str):
    users = get_user_model().objects.filter(email__iexact=sender, is_active=True)
    return users.first() if users.count() == 1 else None


def inbound_email_receive(*, email: InboundEmail) -> Message | None:
    """Store an inbound email once (see the module's docstring); returns
    its message, or the message stored by an earlier delivery of it."""
    provider_id = (email.provider_id or "")[:255]
    if provider_id:
        earlier = Message.objects.filter(provider_message_id=provider_id).first()
        if earlier is not None:
            logger.info("Inbound email %s replayed: already stored", provider_id)
            return earlier
    sender = parseaddr(email.from_email)[1].strip().lower()
    body = _body(email)
    files, refused = _checked_files(email)
    recipients = _addresses(email.recipients)
    try:
        with transaction.atomic():
            message = _route(email, sender, recipients, body, files, provider_id)
            if refused:
                message_post(
                    conversation=message.conversation,
                    body=_("Files refused from the email:") + "\n" + "\n".join(refused),
                    author_kind=AuthorKind.SYSTEM,
                    source=MessageSource.EMAIL,
                    notify=False,
                )
    except IntegrityError:
        # The same email delivered twice at once: the other delivery stored it.
        earlier = Message.objects.filter(provider_message_id=provider_id).first()
        if earlier is None:
            raise
        return earlier
    return message


def _route(email, sender, recipients, body, files, provider_id) -> Message:
    post = {
        "body": body or _("(empty message)"),
        "attachments": files,
        "source": MessageSource.EMAIL,
        "from_email": sender,
        "provider_message_id": provider_id,
    }
    procurement = settings.COMPTOIR_PROCUREMENT_EMAIL.strip().lower()
    for address in recipients:
        target = reply_target(address)
        if target is None:
            continue
        conversation = conversation_for_target(label=target.label, pk=target.pk)
        if conversation is None:
            break
        if not _known_sender(conversation, sender):
            return _unsorted(
                email,
                sender,
                post,
                note=_(
                    "Sent to the reply address of “%(subject)s” (conversation %(pk)s) by an "
                    "address that is not its customer's: check before moving it."
                )
                % {"subject": conversation.subject, "pk": conversation.pk},
            )
        author = conversation.customer
        if author is None or author.email.strip().lower() != sender:
            author = None
        return message_post(conversation=conversation, author=author, **post)
    if procurement and procurement in recipients:
        return _quote_request(email, sender, post)
    return _unsorted(email, sender, post)


def _unsorted(email, sender, post, *, note: str = "") -> Message:
    user = _account(sender)
    conversation = conversation_open(
        kind=ConversationKind.INBOUND,
        subject=email.subject or _("(no subject)"),
        customer=user,
        email=sender,
    )
    if note:
        message_post(
            conversation=conversation,
            body=note,
            author_kind=AuthorKind.SYSTEM,
            source=MessageSource.EMAIL,
            notify=False,
        )
    return message_post(
        conversation=conversation, author_kind=AuthorKind.CUSTOMER, author=user, **post
    )


def _quote_request(email, sender, post) -> Message:
    user = _account(sender)
    qr = quote_request_from_email(
        email=sender,
        contact_name=email.from_name or (user.get_full_name() if user else ""),
        subject=email.subject,
        body=post["body"],
        files=post["attachments"],
        user=user,
        language=settings.LANGUAGE_CODE,
    )
    conversation = conversation_for_quote_request(quote_request=qr)
    # The files went to the request (staff work from them there).
    return message_post(conversation=conversation, author=user, **{**post, "attachments": []})

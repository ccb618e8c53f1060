"""Reading conversations: what a customer may see (everything else is a
404), the staff inbox's order, a thread's messages."""

from django.core import signing
from django.db.models import BooleanField, Case, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.crypto import constant_time_compare

from core.outbox.selectors import outbox_ref

from .models import Attachment, Conversation, ConversationKind, ConversationStatus, Message

# Kinds a customer never sees (staff and suppliers, unsorted emails).
STAFF_ONLY_KINDS = (ConversationKind.SUPPLIER, ConversationKind.INBOUND)


def _customer_q(user) -> Q:
    return Q(customer=user) | Q(order__user=user) | Q(quote_request__user=user)


def conversations_for_customer(user) -> QuerySet[Conversation]:
    """The threads a signed-in customer may read: theirs, their orders' and
    their quote requests', newest activity first."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(_customer_q(user))
        .exclude(kind__in=STAFF_ONLY_KINDS)
        .select_related("order", "quote_request")
        .order_by("-updated_at", "-pk")
    )


def conversation_for_customer(user, pk) -> Conversation:
    """The customer's own thread, or 404 (another's, a supplier's, unsorted)."""
    conversation = conversations_for_customer(user).filter(pk=pk).first()
    if conversation is None:
        raise Http404
    return conversation


def conversation_visible_to(conversation: Conversation, user) -> bool:
    """May ``user`` read ``conversation`` (staff read everything)?"""
    if getattr(user, "is_staff", False):
        return True
    return conversations_for_customer(user).filter(pk=conversation.pk).exists()


def conversation_messages(conversation: Conversation) -> QuerySet[Message]:
    """The thread's messages, oldest first, with their files and authors."""
    return conversation.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )


def conversation_attachment(conversation: Conversation, token: str) -> Attachment:
    attachment = Attachment.objects.filter(message__conversation=conversation, token=token).first()
    if attachment is None:
        raise Http404
    return attachment


def conversations_inbox() -> QuerySet[Conversation]:
    """Staff's inbox: open threads, unanswered first (the other side wrote
    last), then the longest waiting first."""
    return conversations_for_staff().exclude(status=ConversationStatus.CLOSED)


def conversations_for_staff() -> QuerySet[Conversation]:
    """Every thread, in the inbox's order (``unanswered`` annotated)."""
    unanswered = Q(last_customer_message_at__isnull=False) & (
        Q(last_staff_message_at__isnull=True)
        | Q(last_staff_message_at__lt=F("last_customer_message_at"))
    )
    return (
        Conversation.objects.annotate(
            unanswered=Case(
                When(unanswered, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("customer", "claimed_by", "order", "quote_request", "supplier")
        .order_by(
            "-unanswered",
            F("last_customer_message_at").asc(nulls_last=True),
            "created_at",
            "pk",
        )
    )


def conversation_for_order_or_none(order) -> Conversation | None:
    return Conversation.objects.filter(kind=ConversationKind.ORDER, order=order).first()


def conversation_for_quote_request_or_none(quote_request) -> Conversation | None:
    return Conversation.objects.filter(
        kind=ConversationKind.QUOTE_REQUEST, quote_request=quote_request
    ).first()


# --- a thread shown on a page the viewer was let into ----------------------------
#
# The page that embeds a thread (an order's, a guest's order page, a quote
# request's) has checked who may see it; it writes a signed pass naming what
# the thread is about ("order.order:42", "conversations.conversation:5") into
# the form, and the post view takes that pass as the proof (7 days).

_PASS_SALT = "conversations.thread-pass"  # noqa: S105 (a salt, not a password)
PASS_MAX_AGE = 7 * 24 * 3600


def thread_pass(obj) -> str:
    """The signed pass to the thread of ``obj`` (an order, a quote request or
    a conversation), for a viewer the page has let in."""
    return signing.TimestampSigner(salt=_PASS_SALT).sign(outbox_ref(obj))


def thread_pass_target(token: str) -> tuple[str, int] | None:
    """(label, pk) that a valid pass names, else None."""
    try:
        value = signing.TimestampSigner(salt=_PASS_SALT).unsign(token, max_age=PASS_MAX_AGE)
    except signing.BadSignature:
        return None
    label, _, pk = value.partition(":")
    return (label, int(pk)) if pk.isdigit() else None


def conversation_readable(request, pk, *, token: str = "") -> Conversation:
    """The thread ``pk`` when the visitor may read it, else 404: a signed-in
    visitor only when it is theirs (or staff), whatever pass the URL carries;
    a guest with a valid pass to the thread of their guest order (or quote
    request) whose email they gave in this browser, as its page asks."""
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is None:
        raise Http404
    if request.user.is_authenticated:
        if conversation_visible_to(conversation, request.user):
            return conversation
        raise Http404
    if conversation.kind not in STAFF_ONLY_KINDS and token and _guest_owns(request, conversation):
        target = thread_pass_target(token)
        if target is not None and target == _thread_key(conversation, target[0]):
            return conversation
    raise Http404


def _guest_owns(request, conversation: Conversation) -> bool:
    """The thread is about a guest's order or quote request (no account),
    and this browser gave its email (orders.selectors.order_for_customer)."""
    if conversation.order_id:
        about, email = conversation.order, conversation.order.email
    elif conversation.quote_request_id:
        about, email = conversation.quote_request, conversation.quote_request.email
    else:
        return False
    given = request.session.get("anon_order_email", "")
    return (
        about.user_id is None
        and bool(given and email)
        and constant_time_compare(given.lower(), email.lower())
    )


def _thread_key(conversation: Conversation, label: str) -> tuple[str, int] | None:
    """What a pass for ``conversation`` names, in the form the pass used."""
    if label == "order.order" and conversation.kind == ConversationKind.ORDER:
        return (label, conversation.order_id)
    if label == "procurement.quoterequest" and conversation.kind == ConversationKind.QUOTE_REQUEST:
        return (label, conversation.quote_request_id)
    return ("conversations.conversation", conversation.pk)

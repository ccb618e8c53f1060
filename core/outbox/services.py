"""Writing to the outbox and delivering from it (see the package's docstring)."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from core.replies import reply_address_for_ref

from . import delivery
from .models import OutboxMessage
from .renderers import message_content
from .selectors import outbox_ref

logger = logging.getLogger(__name__)

# Retries back off 1, 2, 4... minutes, then hourly: about a day in all.
MAX_ATTEMPTS = 30
MAX_BACKOFF_MINUTES = 60
# A message still "sending" after this was interrupted (worker killed): it
# may have gone out, so it is not sent again by itself; staff decide.
SENDING_TIMEOUT = timedelta(minutes=15)


def outbox_message(
    *,
    channel: str,
    recipient: str,
    about: Model | None = None,
    ref: Model | None = None,
    reply_to: str | None = None,
    **fields: Any,
) -> OutboxMessage:
    """An unsaved message; ``about`` and ``ref`` are model instances (what
    the message is about, and its precise cause). An email about something
    that takes replies (core.replies: an order, a quote request, a
    conversation) gets that thread's signed Reply-To, unless ``reply_to``
    says otherwise ("" for none: an alert to staff)."""
    topic = outbox_ref(about)
    if reply_to is None:
        reply_to = reply_address_for_ref(topic) if channel == OutboxMessage.Channel.EMAIL else ""
    return OutboxMessage(
        channel=channel,
        recipient=recipient,
        topic=topic,
        ref=outbox_ref(ref),
        reply_to=reply_to,
        **fields,
    )


def outbox_queue(messages: Iterable[OutboxMessage | None]) -> list[OutboxMessage]:
    """Store ``messages`` in the caller's transaction; once it commits, the
    delivery task sends them. A message whose ``dedupe_key`` was already
    queued is skipped. Returns the stored messages (``None`` are left out)."""
    stored = [message for message in messages if message is not None]
    if not stored:
        return []
    plain = [message for message in stored if not message.dedupe_key]
    keyed = [message for message in stored if message.dedupe_key]
    # Plain messages get their ids back; keyed ones are written with
    # conflicts ignored (a repeat is skipped), which returns no ids: read them.
    OutboxMessage.objects.bulk_create(plain)
    queued = [message.pk for message in plain if message.pk is not None]
    if keyed:
        OutboxMessage.objects.bulk_create(keyed, ignore_conflicts=True)
        queued += OutboxMessage.objects.filter(
            dedupe_key__in=[message.dedupe_key for message in keyed],
            status=OutboxMessage.Status.PENDING,
        ).values_list("pk", flat=True)
    transaction.on_commit(lambda: _enqueue(queued))
    return stored


def _enqueue(message_ids: list[int]) -> None:
    from .tasks import outbox_send

    try:
        outbox_send.delay(message_ids=message_ids)
    except Exception:  # the broker is down: the beat job will send them
        logger.warning(
            "Could not queue outbox messages %s; left pending", message_ids, exc_info=True
        )


def _claim(message_id: int) -> OutboxMessage | None:
    """Mark a due pending message "sending" and commit, or None when another
    worker holds it, it was sent, or it is not due."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_due(now), pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        # The conditional update makes the claim hold where row locks do not
        # (SQLite): only one caller turns "pending" into "sending".
        claimed = OutboxMessage.objects.filter(
            _due(now), pk=message_id, status=OutboxMessage.Status.PENDING
        ).update(status=OutboxMessage.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
        if message is None or not claimed:
            return None
    message.refresh_from_db()
    return message


def message_send(*, message_id: int) -> bool:
    """Deliver one pending message; True when sent. Safe to call twice or
    from two workers: only the worker that claimed the row sends it."""
    message = _claim(message_id)
    if message is None:
        return False
    try:
        content = message_content(message)
        delivery.CHANNELS[message.channel](message, content)
    except Exception as exc:
        logger.warning("Outbox message %s failed: %s", message.pk, exc)
        backoff = min(2 ** (message.attempts - 1), MAX_BACKOFF_MINUTES)
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
            status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
            last_error=str(exc)[:2000] or type(exc).__name__,
            next_attempt_at=timezone.now() + timedelta(minutes=backoff),
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        subject=content.subject[:255],
        body_text=content.text,
        body_html=content.html,
    )
    return True


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def messages_send_due(*, message_ids: Iterable[int] | None = None, batch_size: int = 200) -> int:
    """Send ``message_ids`` (the fast path after a commit), or else what is
    due, oldest first (the beat job). Returns how many were sent."""
    if message_ids is None:
        messages_release_interrupted()
        message_ids = list(
            OutboxMessage.objects.filter(_due(timezone.now()), status=OutboxMessage.Status.PENDING)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
    return sum(message_send(message_id=pk) for pk in message_ids)


def messages_release_interrupted() -> int:
    """Messages left "sending" by a worker that died: they may have gone out,
    so they become "failed" for staff to check and retry, never resent blindly."""
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=timezone.now() - SENDING_TIMEOUT
    ).update(
        status=OutboxMessage.Status.FAILED,
        last_error="Interrupted while sending: it may have been delivered; check before retrying.",
    )


def messages_retry(*, message_ids: Iterable[int]) -> int:
    """Staff's "retry": failed (or waiting) messages are sent again from the
    start of the backoff, after the caller's transaction commits."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(
                pk__in=message_ids,
                status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.PENDING],
            ).values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None
        )
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)

"""Procurement's emails go through the outbox (core.outbox: written in the
transaction of the change, sent after it, retried by beat: DESIGN.md rule
6), rendered now in the customer's language, HTML and text."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message, outbox_queue


def base_url() -> str:
    return settings.COMPTOIR_BASE_URL.rstrip("/")


def email_queue(
    *,
    key: str,
    to: str,
    subject,
    template: str,
    context: dict,
    language: str = "",
    params=None,
    about=None,
):
    """Queue ``procurement/email/<template>.txt|.html``; ``subject`` is a
    lazy text formatted with ``params`` in the customer's language; ``key``
    makes a second call for the same event a no-op (a job run twice);
    ``about`` is what the email is about (a request, a quote, an order)."""
    if not to:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "legal": settings.COMPTOIR_LEGAL, "base_url": base_url()}
        message = outbox_message(
            about=about,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=to,
            subject=str(subject) % (params or {}),
            body_text=render_to_string(f"procurement/email/{template}.txt", context),
            body_html=render_to_string(f"procurement/email/{template}.html", context),
            dedupe_key=f"procurement:{key}"[:200],
        )
    outbox_queue([message])

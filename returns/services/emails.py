"""The customer's emails about returns and claims, through the outbox
(written in the transaction of the change, rendered now in the customer's
language, HTML and text)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.outbox.models import OutboxMessage
from core.outbox.services import outbox_message, outbox_queue


def base_url() -> str:
    return settings.COMPTOIR_BASE_URL.rstrip("/")


def email_queue(
    *, key: str, to: str, subject, template: str, context: dict, language: str, about, params=None
) -> None:
    """Queue ``returns/email/<template>.txt|.html``; ``key`` makes a repeat a no-op."""
    if not to:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "legal": settings.COMPTOIR_LEGAL, "base_url": base_url()}
        message = outbox_message(
            about=about,
            channel=OutboxMessage.Channel.EMAIL,
            recipient=to,
            subject=str(subject) % (params or {}),
            body_text=render_to_string(f"returns/email/{template}.txt", context),
            body_html=render_to_string(f"returns/email/{template}.html", context),
            dedupe_key=f"returns:{key}"[:200],
        )
    outbox_queue([message])

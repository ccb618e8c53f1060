"""How each channel delivers a message's content; raising means "failed,
try again later"."""

import json
from collections.abc import Callable

import requests
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME

from core.sms import send_sms

from .models import OutboxMessage
from .renderers import Content

WEBHOOK_TIMEOUT = 10


def deliver_email(message: OutboxMessage, content: Content) -> None:
    email = EmailMultiAlternatives(
        subject=content.subject,
        body=content.text,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            # The same Message-ID on any copy lets mail clients drop a repeat.
            "Message-ID": f"<outbox-{message.pk}@{DNS_NAME}>",
            "X-Comptoir-Outbox": str(message.pk),
            **content.headers,
        },
    )
    if content.html:
        email.attach_alternative(content.html, "text/html")
    for filename, data, mimetype in content.attachments:
        email.attach(filename, data, mimetype)
    email.send()


def deliver_sms(message: OutboxMessage, content: Content) -> None:
    send_sms(to=message.recipient, body=content.text)


def deliver_webhook(message: OutboxMessage, content: Content) -> None:
    """POST the payload's ``body`` as JSON (signing comes with the API's
    webhooks); any answer but a 2xx is a failure."""
    response = requests.post(
        message.recipient,
        data=json.dumps(message.payload.get("body", {})),
        headers={
            "Content-Type": "application/json",
            "X-Comptoir-Outbox": str(message.pk),
            **content.headers,
        },
        timeout=WEBHOOK_TIMEOUT,
    )
    response.raise_for_status()


CHANNELS: dict[str, Callable[[OutboxMessage, Content], None]] = {
    "email": deliver_email,
    "sms": deliver_sms,
    "webhook": deliver_webhook,
}

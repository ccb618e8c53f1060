"""Sending SMS through a backend named in ``COMPTOIR_SMS_BACKEND``.

anymail does no SMS and Oscar's dispatcher has none, so this is ours: a
console backend for a first look, locmem for tests, Twilio in production.
"""

import sys
import uuid
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    pass


class SmsBackend(Protocol):
    """What a backend named in COMPTOIR_SMS_BACKEND provides."""

    def send(self, *, to: str, body: str) -> str:
        """Send one SMS; returns the provider's message id, raises SmsError."""
        ...


class ConsoleBackend:
    def send(self, *, to: str, body: str) -> str:
        sys.stdout.write(f"SMS to {to}: {body}\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


# What the locmem backend "sent", like django.core.mail.outbox.
outbox: list[dict[str, str]] = []


class LocmemBackend:
    def send(self, *, to: str, body: str) -> str:
        outbox.append({"to": to, "body": body})
        return f"locmem-{len(outbox)}"


class TwilioBackend:
    """Twilio's Messages API through Twilio's SDK. ``TWILIO_API_BASE``, when
    set, sends its calls to another address (a proxy, or a test server)."""

    timeout = 10

    def __init__(self, http_client: Any = None) -> None:
        from twilio.http.http_client import TwilioHttpClient

        class Client(TwilioHttpClient):  # type: ignore[misc]  # (Twilio ships no types)
            def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
                base = settings.TWILIO_API_BASE
                if base:
                    url = url.replace("https://api.twilio.com", base.rstrip("/"), 1)
                return super().request(method, url, *args, **kwargs)

        self.http_client = http_client or Client(timeout=self.timeout)

    def send(self, *, to: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client

        client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self.http_client
        )
        try:
            message = client.messages.create(to=to, from_=settings.TWILIO_FROM_NUMBER, body=body)
        except TwilioException as exc:
            raise SmsError(str(exc)) from exc
        return str(message.sid)


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.COMPTOIR_SMS_BACKEND)()
    return backend


def send_sms(*, to: str, body: str) -> str:
    """Send one SMS; returns the provider's message id, raises SmsError."""
    return get_sms_backend().send(to=to, body=body)

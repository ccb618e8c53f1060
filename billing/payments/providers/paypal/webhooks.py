"""PayPal's webhooks: an event checked (JSON, its transmission headers) and
its signature verified by asking PayPal
(``POST /v1/notifications/verify-webhook-signature``, which the SDK lacks);
the news of a capture or of a refund read as a ProviderPayment. Capturing an
order the buyer approved is the provider's (``provider.py``)."""

import json
import logging

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from billing.models import Payment

from ..base import ProviderError, ProviderPayment, WebhookSignatureError
from .answers import (
    CAPTURE_EVENTS,
    REFUND_STATUSES,
    amount_of,
    decline_message,
    link_of,
    order_id_of_capture,
)
from .sdk import api_base, cached_token, json_of, make_client, sdk_errors

logger = logging.getLogger(__name__)
Status = Payment.Status

# The transmission headers PayPal signs with, as verify-webhook-signature names them.
SIGNATURE_HEADERS = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}


def webhook_event(*, body: bytes, headers) -> dict:
    """The event ``body`` holds, once PayPal says it sent it; else
    WebhookSignatureError (ProviderError when PayPal cannot be asked)."""
    webhook_id = settings.PAYPAL_WEBHOOK_ID
    if not webhook_id:
        raise WebhookSignatureError("PAYPAL_WEBHOOK_ID is not set")
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise WebhookSignatureError("the body is not JSON") from exc
    if not isinstance(event, dict) or not event.get("id"):
        raise WebhookSignatureError("not a PayPal event")
    signature = {name: headers.get(header, "") for name, header in SIGNATURE_HEADERS.items()}
    if not all(signature.values()):
        raise WebhookSignatureError("transmission headers missing")
    status = verify_signature(body, signature, webhook_id)
    if status != "SUCCESS":
        raise WebhookSignatureError(f"PayPal says verification_status={status}")
    return event


def verify_signature(body: bytes, signature: dict, webhook_id: str) -> str:
    # PayPal checks the signature against the event exactly as it sent
    # it: the raw body goes in as it came, not parsed and re-serialised
    # (which can change numbers, spacing or escapes and fail).
    head = json.dumps({**signature, "webhook_id": webhook_id})
    payload = head[:-1] + ', "webhook_event": ' + body.decode("utf-8") + "}"
    token = cached_token(None, make_client().auth_managers["Oauth2"])
    try:
        response = requests.post(
            api_base() + "/v1/notifications/verify-webhook-signature",
            data=payload.encode("utf-8"),
            headers={
                "Authorization": f"Bearer {token.access_token}",
                "Content-Type": "application/json",
            },
            timeout=settings.PAYPAL_TIMEOUT,
        )
    except requests.RequestException as exc:
        logger.warning("PayPal webhook verification unreachable: %s", exc)
        raise ProviderError(_("PayPal cannot be reached.")) from exc
    if response.status_code in (400, 422):
        return "INVALID_REQUEST"
    if response.status_code != 200:
        logger.warning("PayPal webhook verification: HTTP %s", response.status_code)
        raise ProviderError(_("PayPal cannot be reached."))
    return response.json().get("verification_status", "")


def capture_news(event: dict) -> ProviderPayment | None:
    """A capture completed, declined, pending...: the news of its PayPal
    order (our provider id)."""
    resource = event.get("resource") or {}
    order_id = order_id_of_capture(resource)
    if not order_id:
        logger.warning("PayPal capture %s names no order", resource.get("id"))
        return None
    money = resource.get("amount") or {}
    status = CAPTURE_EVENTS[event.get("event_type", "")]
    return ProviderPayment(
        provider_id=order_id,
        status=status,
        amount=amount_of(money.get("value")),
        currency=money.get("currency_code", ""),
        raw=event,
        order_number=resource.get("custom_id", ""),
        message=decline_message("") if status == Status.FAILED else "",
    )


def refund_news(event: dict, refund: dict) -> ProviderPayment | None:
    """A refund (ours, or made in PayPal's dashboard): the refund names
    its capture ("up" link); the capture names its PayPal order, our id."""
    up = link_of(refund, "up")
    if "/v2/payments/captures/" not in up:
        logger.warning("PayPal refund %s names no capture", refund.get("id"))
        return None
    capture_id = up.rstrip("/").rsplit("/", 1)[-1]
    with sdk_errors():
        capture = json_of(make_client().payments.get_captured_payment({"capture_id": capture_id}))
    money = refund.get("amount") or {}
    return ProviderPayment(
        provider_id=refund.get("id", ""),
        status=REFUND_STATUSES.get(refund.get("status"), Status.PENDING),
        amount=amount_of(money.get("value")),
        currency=money.get("currency_code", ""),
        raw=event,
        order_number=refund.get("custom_id", ""),
        refund_of=order_id_of_capture(capture),
    )

"""Stripe through its official SDK: one PaymentIntent per order and amount,
confirmed in the browser with Stripe.js's card element, finalised here.

Checkout Sessions are not used: they cannot be tested offline (localstripe
has none). Settings are read when used, so tests can point the SDK at
localstripe with STRIPE_API_BASE.
"""

import logging
from dataclasses import replace
from urllib.parse import urlsplit

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.models import Payment
from core.money import from_minor_units, to_minor_units
from core.payment_methods import PaymentMethod

from .base import (
    PaymentProvider,
    PaymentStep,
    ProviderError,
    ProviderPayment,
    ProviderWebhook,
    WebhookSignatureError,
)

logger = logging.getLogger(__name__)
Status = Payment.Status

# Stripe's PaymentIntent states, in ours. A declined card leaves the intent
# in requires_payment_method with a last_payment_error (see _status).
STATUSES = {
    "succeeded": Status.SUCCEEDED,
    "canceled": Status.CANCELLED,
    "processing": Status.PENDING,
    "requires_payment_method": Status.PENDING,
    "requires_confirmation": Status.PENDING,
    "requires_action": Status.PENDING,
    "requires_capture": Status.PENDING,
}
REFUND_STATUSES = {
    "succeeded": Status.SUCCEEDED,
    "pending": Status.PENDING,
    "requires_action": Status.PENDING,
    "failed": Status.FAILED,
    "canceled": Status.CANCELLED,
}
WEBHOOK_TYPES = frozenset(
    {"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"}
)


class StripeProvider(PaymentProvider):
    code = "stripe"
    method = PaymentMethod.CARD
    label = gettext_lazy("Card")

    def is_configured(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)

    def client(self) -> stripe.StripeClient:
        base = settings.STRIPE_API_BASE
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": base} if base else None,
            max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
            http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
        )

    def create_payment(self, *, order, amount, currency, idempotency_key):
        params = {
            "amount": to_minor_units(amount),
            "currency": currency.lower(),
            "payment_method_types": ["card"],
            "metadata": {"order": order.number},
        }
        with _errors():
            intent = self.client().v1.payment_intents.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        return _from_intent(intent)

    def fetch_payment(self, *, provider_id):
        with _errors():
            return _from_intent(self.client().v1.payment_intents.retrieve(provider_id))

    def cancel_payment(self, *, provider_id):
        with _errors():
            self.client().v1.payment_intents.cancel(provider_id)

    def begin(self, *, request, order, payment, current):
        return_url = request.build_absolute_uri(
            reverse("billing:pay-return", kwargs={"number": order.number, "provider": self.code})
        )
        if request.GET.get("h"):
            return_url += "?h=" + request.GET["h"]
        return PaymentStep(
            template="billing/payments/stripe.html",
            context={
                "stripe_js_url": settings.STRIPE_JS_URL,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "client_secret": current.client_token,
                "return_url": return_url,
                "last_error": current.message,
            },
            csp=stripe_csp(),
        )

    def provider_id_from_return(self, params) -> str:
        return params.get("payment_intent", "")

    def parse_webhook(self, *, body, headers):
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise WebhookSignatureError("STRIPE_WEBHOOK_SECRET is not set")
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get("Stripe-Signature", ""), secret
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            raise WebhookSignatureError(str(exc)) from exc
        except (AttributeError, TypeError, KeyError) as exc:  # signed JSON, not an object
            raise WebhookSignatureError(f"not a Stripe event: {exc!r}") from exc
        try:
            return _webhook_from_event(event)
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            # Signed by Stripe (or by whoever holds the secret) but not the
            # shape of an event we know: refused (400), never a 500.
            raise WebhookSignatureError(f"unexpected event shape: {exc!r}") from exc

    def refund(self, *, payment, amount, idempotency_key):
        params = {"payment_intent": payment.provider_id, "amount": to_minor_units(amount)}
        with _errors():
            refund = self.client().v1.refunds.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        return ProviderPayment(
            provider_id=refund.id,
            status=REFUND_STATUSES.get(refund.status, Status.PENDING),
            amount=from_minor_units(refund.amount),
            currency=refund.currency.upper(),
            raw=refund.to_dict(),
        )


def _webhook_from_event(event) -> ProviderWebhook:
    if not isinstance(event.id, str) or not isinstance(event.type, str) or not event.id:
        raise ValueError("an event needs a string id and type")
    payment = None
    if event.type in WEBHOOK_TYPES:
        intent = event.data.object
        if getattr(intent, "object", None) != "payment_intent" or not isinstance(intent.id, str):
            raise ValueError("the event does not carry a PaymentIntent")
        amount = intent.amount
        if isinstance(amount, bool) or not str(amount).isdigit():
            raise ValueError("the PaymentIntent's amount is not a whole number of cents")
        payment = _from_intent(intent)
        if event.type == "payment_intent.payment_failed" and payment.status == Status.PENDING:
            payment = replace(payment, status=Status.FAILED)
    raw = event.to_dict()
    (raw.get("data", {}).get("object") or {}).pop("client_secret", None)  # never stored
    return ProviderWebhook(event_id=event.id, type=event.type, raw=raw, payment=payment)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_csp() -> dict:
    """What Stripe.js needs on the card page (Stripe's published list):
    its script and frames, and the API it calls."""
    js = _origin(settings.STRIPE_JS_URL)
    api = (
        _origin(settings.STRIPE_API_BASE) if settings.STRIPE_API_BASE else "https://api.stripe.com"
    )
    return {
        "script-src": [js],
        "frame-src": [js, "https://hooks.stripe.com"],
        "connect-src": [api, js],
        "img-src": ["https://*.stripe.com"],
    }


def _from_intent(intent) -> ProviderPayment:
    raw = intent.to_dict()
    client_secret = raw.pop("client_secret", "") or ""  # never stored
    error = raw.get("last_payment_error") or {}
    status = STATUSES.get(intent.status, Status.PENDING)
    if intent.status == "requires_payment_method" and error:
        status = Status.FAILED
    return ProviderPayment(
        provider_id=intent.id,
        status=status,
        amount=from_minor_units(intent.amount),
        currency=(intent.currency or "").upper(),
        raw=raw,
        order_number=(raw.get("metadata") or {}).get("order", ""),
        message=_decline_message(error) if error else "",
        client_token=client_secret,
    )


def _decline_message(error) -> str:
    # Stripe's own message is in English; ours is translated.
    if error.get("code") == "card_declined":
        return _("Your card was declined. Nothing was charged: try another card.")
    if error.get("code") == "payment_intent_authentication_failure":
        return _("The card's authentication failed. Nothing was charged: please try again.")
    return _("The payment did not go through. Nothing was charged: please try again.")


class _errors:
    """Turns the SDK's errors into a ProviderError with a message for the person."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, stripe.StripeError):
            return False
        logger.warning("Stripe: %s", exc)
        if isinstance(exc, stripe.CardError):
            raise ProviderError(_decline_message({"code": exc.code})) from exc
        raise ProviderError(
            _("The card payment service is unavailable. Please try again in a few minutes.")
        ) from exc


__all__ = ["StripeProvider"]

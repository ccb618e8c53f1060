"""PayPal through its Server SDK (``paypal-server-sdk``, Orders v2): one
PayPal order per order and amount; the customer approves it on PayPal's
pages, comes back to our return view, and we capture it there.

The SDK has no base-URL option: a Configuration subclass sends it to
PAYPAL_API_BASE when set (tests run a local fake PayPal). Settings are read
when used. Webhooks are verified by asking PayPal
(``POST /v1/notifications/verify-webhook-signature``), which the SDK lacks.
"""

import hashlib
import json
import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlencode

import requests
from apimatic_core.exceptions.auth_validation_exception import AuthValidationException
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from paypalserversdk.configuration import Configuration, Environment, Server
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.models.address import Address
from paypalserversdk.models.amount_with_breakdown import AmountWithBreakdown
from paypalserversdk.models.checkout_payment_intent import CheckoutPaymentIntent
from paypalserversdk.models.money import Money
from paypalserversdk.models.o_auth_token import OAuthToken
from paypalserversdk.models.order_request import OrderRequest
from paypalserversdk.models.payment_source import PaymentSource
from paypalserversdk.models.paypal_experience_user_action import PaypalExperienceUserAction
from paypalserversdk.models.paypal_wallet import PaypalWallet
from paypalserversdk.models.paypal_wallet_context_shipping_preference import (
    PaypalWalletContextShippingPreference as ShippingPreference,
)
from paypalserversdk.models.paypal_wallet_experience_context import (
    PaypalWalletExperienceContext,
)
from paypalserversdk.models.purchase_unit_request import PurchaseUnitRequest
from paypalserversdk.models.refund_request import RefundRequest
from paypalserversdk.models.shipping_details import ShippingDetails
from paypalserversdk.models.shipping_name import ShippingName
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from billing.models import Payment
from billing.payments.selectors import order_balance, order_is_payable

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
CENT = Decimal("0.01")

# PayPal's web pages (where the customer approves) by environment.
WEB_BASES = {"sandbox": "https://www.sandbox.paypal.com", "live": "https://www.paypal.com"}
# A captured payment's state, in ours; refunds are their own rows, so a
# refunded capture still says the payment went through.
CAPTURE_STATUSES = {
    "COMPLETED": Status.SUCCEEDED,
    "PARTIALLY_REFUNDED": Status.SUCCEEDED,
    "REFUNDED": Status.SUCCEEDED,
    "PENDING": Status.PENDING,
    "DECLINED": Status.FAILED,
    "FAILED": Status.FAILED,
}
REFUND_STATUSES = {
    "COMPLETED": Status.SUCCEEDED,
    "PENDING": Status.PENDING,
    "FAILED": Status.FAILED,
    "CANCELLED": Status.CANCELLED,
}
# Capture webhooks: what the event says of the payment, whatever the
# resource's own status (a denied capture's resource says DECLINED).
CAPTURE_EVENTS = {
    "PAYMENT.CAPTURE.COMPLETED": Status.SUCCEEDED,
    "PAYMENT.CAPTURE.PENDING": Status.PENDING,
    "PAYMENT.CAPTURE.DENIED": Status.FAILED,
    "PAYMENT.CAPTURE.DECLINED": Status.FAILED,
}
# The transmission headers PayPal signs with, as verify-webhook-signature names them.
SIGNATURE_HEADERS = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}
# 422 issues on capture that mean "the buyer's money did not come": the
# buyer approves again (PayPal lets them pick another funding source).
DECLINED_ISSUES = frozenset(
    {"INSTRUMENT_DECLINED", "TRANSACTION_REFUSED", "PAYER_ACTION_REQUIRED", "ORDER_NOT_APPROVED"}
)
PAYPAL_LOCALES = {"fr": "fr-FR", "en": "en-GB"}


class _Configuration(Configuration):
    """The SDK's configuration, sending every call to ``api_base`` when set."""

    def __init__(self, *, api_base: str = "", **kwargs):
        self.api_base = api_base.rstrip("/")
        super().__init__(**kwargs)

    def get_base_uri(self, server=Server.DEFAULT):
        return self.api_base or super().get_base_uri(server)


class PayPalProvider(PaymentProvider):
    code = "paypal"
    method = Payment.Method.PAYPAL
    label = gettext_lazy("PayPal")

    def is_configured(self) -> bool:
        return bool(settings.PAYPAL_CLIENT_ID and settings.PAYPAL_CLIENT_SECRET)

    # --- The SDK ------------------------------------------------------------------

    def api_base(self) -> str:
        default = Configuration.environments[_environment()][Server.DEFAULT]
        return settings.PAYPAL_API_BASE.rstrip("/") or default

    def client(self) -> PaypalServersdkClient:
        config = _Configuration(
            api_base=settings.PAYPAL_API_BASE,
            environment=_environment(),
            timeout=settings.PAYPAL_TIMEOUT,
            client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                o_auth_client_id=settings.PAYPAL_CLIENT_ID,
                o_auth_client_secret=settings.PAYPAL_CLIENT_SECRET,
                o_auth_token_provider=_cached_token,
            ),
        )
        return PaypalServersdkClient(config=config)

    # --- Paying -------------------------------------------------------------------

    def create_payment(self, *, order, amount, currency, idempotency_key):
        unit = {
            "reference_id": order.number,
            "custom_id": order.number,
            "description": _("Order %(number)s") % {"number": order.number},
            "amount": AmountWithBreakdown(currency_code=currency, value=_value(amount)),
        }
        context = {
            "return_url": _back_url("billing:pay-return", order, provider=self.code),
            # Cancelling at PayPal shows the choice of ways to pay again.
            "cancel_url": _back_url("billing:pay", order, query={"choose": "1"}),
            # The button at PayPal says "Pay now": coming back means paying.
            "user_action": PaypalExperienceUserAction.PAY_NOW,
            "shipping_preference": ShippingPreference.NO_SHIPPING,
        }
        shipping = _shipping(order)
        if shipping is not None:
            # Our address, shown (not editable) at PayPal: seller protection needs it.
            unit["shipping"] = shipping
            context["shipping_preference"] = ShippingPreference.SET_PROVIDED_ADDRESS
        if settings.PAYPAL_BRAND_NAME:
            context["brand_name"] = settings.PAYPAL_BRAND_NAME[:127]
        if locale := PAYPAL_LOCALES.get((get_language() or "")[:2]):
            context["locale"] = locale
        body = OrderRequest(
            intent=CheckoutPaymentIntent.CAPTURE,
            purchase_units=[PurchaseUnitRequest(**unit)],
            payment_source=PaymentSource(
                paypal=PaypalWallet(experience_context=PaypalWalletExperienceContext(**context))
            ),
        )
        with _errors():
            response = self.client().orders.create_order(
                {
                    "body": body,
                    # A retried call returns the same PayPal order.
                    "paypal_request_id": idempotency_key,
                    "prefer": "return=representation",
                }
            )
        return self._from_order(_json(response))

    def fetch_payment(self, *, provider_id):
        try:
            response = self.client().orders.get_order({"id": provider_id})
        except ApiException as exc:
            if exc.response_code == 404:
                return _expired(provider_id, exc)
            raise _unavailable(exc) from exc
        except (AuthValidationException, requests.RequestException) as exc:
            raise _unavailable(exc) from exc
        return self._from_order(_json(response))

    def cancel_payment(self, *, provider_id):
        # PayPal has no call to void an order of intent CAPTURE: unless
        # captured, it expires at PayPal. Nothing is taken before the capture,
        # and we never capture a cancelled one (finalise, the approval webhook).
        logger.info("PayPal order %s abandoned; it expires at PayPal", provider_id)

    def begin(self, *, request, order, payment, current):
        approval_url = current.client_token or self._approval_url(payment)
        refused = _issue(payment.raw_event)
        if refused in DECLINED_ISSUES:
            # PayPal refused the last capture: say why here; the customer
            # goes back to PayPal (another funding source) when ready.
            return PaymentStep(
                template="billing/payments/paypal.html",
                context={"approval_url": approval_url, "last_error": _decline_message(refused)},
            )
        return PaymentStep(redirect_url=approval_url)

    def provider_id_from_return(self, params) -> str:
        # PayPal adds ?token=<order id>&PayerID=... to the return URL.
        return params.get("token", "")

    def finalise(self, *, payment):
        """Capture the approved PayPal order, once, if it is still wanted."""
        if payment.status == Status.SUCCEEDED:
            return self.fetch_payment(provider_id=payment.provider_id)
        if not _still_wanted(payment):
            # Abandoned (a new amount), waiting for staff, or the order was
            # cancelled, paid another way or changed while the customer was
            # at PayPal: unlike a card, nothing is taken until we capture, so
            # we do not. The PayPal order expires.
            current = self.fetch_payment(provider_id=payment.provider_id)
            if current.status == Status.SUCCEEDED:  # captured meanwhile: say so
                return current
            return ProviderPayment(
                provider_id=payment.provider_id,
                status=Status.CANCELLED,
                amount=payment.amount,
                currency=payment.currency,
                raw=current.raw,
                order_number=payment.order.number,
            )
        # One key per state of our row: two returns at once send the same
        # key and PayPal answers both with the one capture; after a decline
        # the row changed, so the next attempt is a new capture, not the
        # decline replayed.
        request_id = (
            f"capture-{payment.provider_id}-{payment.status}-{payment.updated_at:%Y%m%d%H%M%S%f}"
        )
        try:
            response = self.client().orders.capture_order(
                {
                    "id": payment.provider_id,
                    "paypal_request_id": request_id,
                    "prefer": "return=representation",
                }
            )
        except ApiException as exc:
            issue = _issue(exc)
            if exc.response_code == 404:
                return _expired(payment.provider_id, exc)
            if issue == "ORDER_ALREADY_CAPTURED":
                # Captured by the other return or by the approval webhook: its capture.
                return self.fetch_payment(provider_id=payment.provider_id)
            if issue in DECLINED_ISSUES:
                logger.info("PayPal capture of %s refused: %s", payment.provider_id, issue)
                return ProviderPayment(
                    provider_id=payment.provider_id,
                    status=Status.FAILED,
                    amount=payment.amount,
                    currency=payment.currency,
                    raw=_error_body(exc),
                    order_number=payment.order.number,
                    message=_decline_message(issue),
                )
            raise _unavailable(exc) from exc
        except (AuthValidationException, requests.RequestException) as exc:
            raise _unavailable(exc) from exc
        return self._from_order(_json(response))

    def refund(self, *, payment, amount, idempotency_key):
        capture_id = _capture_id(payment.raw_event) or _capture_id(
            self._get_order(payment.provider_id)
        )
        if not capture_id:
            raise ProviderError(_("PayPal has no captured payment to refund for this order."))
        body = RefundRequest(
            amount=Money(currency_code=payment.currency, value=_value(amount)),
            custom_id=payment.order.number,
        )
        with _errors():
            response = self.client().payments.refund_captured_payment(
                {
                    "capture_id": capture_id,
                    "body": body,
                    "paypal_request_id": idempotency_key,
                    "prefer": "return=representation",
                }
            )
        data = _json(response)
        money = data.get("amount") or {}
        return ProviderPayment(
            provider_id=data.get("id", ""),
            status=REFUND_STATUSES.get(data.get("status"), Status.PENDING),
            amount=_amount(money.get("value"), default=amount),
            currency=money.get("currency_code") or payment.currency,
            raw=data,
            order_number=payment.order.number,
        )

    # --- Webhooks -----------------------------------------------------------------

    def parse_webhook(self, *, body, headers):
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
        status = self._verify_signature(body, signature, webhook_id)
        if status != "SUCCESS":
            raise WebhookSignatureError(f"PayPal says verification_status={status}")
        return ProviderWebhook(
            event_id=event["id"],
            type=event.get("event_type", ""),
            raw=event,
            payment=self._event_payment(event),
        )

    def _verify_signature(self, body: bytes, signature: dict, webhook_id: str) -> str:
        # PayPal checks the signature against the event exactly as it sent
        # it: the raw body goes in as it came, not parsed and re-serialised
        # (which can change numbers, spacing or escapes and fail).
        head = json.dumps({**signature, "webhook_id": webhook_id})
        payload = head[:-1] + ', "webhook_event": ' + body.decode("utf-8") + "}"
        token = _cached_token(None, self.client().auth_managers["Oauth2"])
        try:
            response = requests.post(
                self.api_base() + "/v1/notifications/verify-webhook-signature",
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

    def _event_payment(self, event: dict) -> ProviderPayment | None:
        kind = event.get("event_type", "")
        resource = event.get("resource") or {}
        if kind in CAPTURE_EVENTS:
            order_id = _order_id_of_capture(resource)
            if not order_id:
                logger.warning("PayPal capture %s names no order", resource.get("id"))
                return None
            money = resource.get("amount") or {}
            status = CAPTURE_EVENTS[kind]
            return ProviderPayment(
                provider_id=order_id,
                status=status,
                amount=_amount(money.get("value")),
                currency=money.get("currency_code", ""),
                raw=event,
                order_number=resource.get("custom_id", ""),
                message=_decline_message("") if status == Status.FAILED else "",
            )
        if kind == "CHECKOUT.ORDER.APPROVED":
            return self._capture_approved(resource.get("id", ""))
        if kind == "PAYMENT.CAPTURE.REFUNDED":
            return self._refund_news(event, resource)
        return None

    def _refund_news(self, event: dict, refund: dict) -> ProviderPayment | None:
        """A refund (ours, or made in PayPal's dashboard): the refund names
        its capture ("up" link); the capture names its PayPal order, our id."""
        up = _link(refund, "up")
        if "/v2/payments/captures/" not in up:
            logger.warning("PayPal refund %s names no capture", refund.get("id"))
            return None
        capture_id = up.rstrip("/").rsplit("/", 1)[-1]
        with _errors():
            capture = _json(self.client().payments.get_captured_payment({"capture_id": capture_id}))
        money = refund.get("amount") or {}
        return ProviderPayment(
            provider_id=refund.get("id", ""),
            status=REFUND_STATUSES.get(refund.get("status"), Status.PENDING),
            amount=_amount(money.get("value")),
            currency=money.get("currency_code", ""),
            raw=event,
            order_number=refund.get("custom_id", ""),
            refund_of=_order_id_of_capture(capture),
        )

    def _capture_approved(self, order_id: str) -> ProviderPayment | None:
        """The buyer approved at PayPal: capture now, in case they never come
        back to our return view (tab closed, connection lost) though they
        pressed "Pay now". Only a payment still open on our side is captured:
        an abandoned one is left to expire (see finalise)."""
        row = (
            Payment.objects.select_related("order")
            .filter(provider=self.code, provider_id=order_id, kind=Payment.Kind.PAYMENT)
            .first()
        )
        return None if row is None else self.finalise(payment=row)

    # --- Reading PayPal's answers -------------------------------------------------

    def _get_order(self, order_id: str) -> dict:
        with _errors():
            return _json(self.client().orders.get_order({"id": order_id}))

    def _from_order(self, data: dict) -> ProviderPayment:
        unit = (data.get("purchase_units") or [{}])[0]
        captures = (unit.get("payments") or {}).get("captures") or []
        capture = captures[-1] if captures else None
        money = (capture or unit).get("amount") or {}
        if data.get("status") == "VOIDED":
            status = Status.CANCELLED
        elif capture is not None:
            status = CAPTURE_STATUSES.get(capture.get("status"), Status.PENDING)
        else:  # CREATED, PAYER_ACTION_REQUIRED, APPROVED...: not paid yet
            status = Status.PENDING
        return ProviderPayment(
            provider_id=data.get("id", ""),
            status=status,
            amount=_amount(money.get("value")),
            currency=money.get("currency_code", ""),
            raw=data,
            order_number=unit.get("custom_id") or unit.get("reference_id") or "",
            message=_decline_message("") if status == Status.FAILED else "",
            client_token=_link(data, "payer-action", "approve"),
        )

    def _approval_url(self, payment) -> str:
        # An approved (or declined) PayPal order no longer lists its approval
        # link, but PayPal's checkout page still takes it: that is where a
        # declined buyer picks another way to pay.
        base = settings.PAYPAL_API_BASE.rstrip("/") or WEB_BASES[_environment_name()]
        return f"{base}/checkoutnow?{urlencode({'token': payment.provider_id})}"


# --- Helpers --------------------------------------------------------------------------


def _environment_name() -> str:
    name = settings.PAYPAL_ENVIRONMENT.strip().lower()
    return "live" if name in ("live", "production") else "sandbox"


def _environment() -> Environment:
    return Environment.PRODUCTION if _environment_name() == "live" else Environment.SANDBOX


def _cached_token(last_token, auth_manager) -> OAuthToken:
    """The SDK's token provider: one OAuth token shared by every process
    through the cache until shortly before it expires, instead of one per call."""
    key = _token_cache_key()
    cached = cache.get(key)
    if cached:
        return OAuthToken(
            access_token=cached["access_token"],
            token_type="Bearer",  # noqa: S106 (a token type, not a secret)
            expiry=cached["expiry"],
        )
    with _errors():
        token = auth_manager.fetch_token()
    expires_in = int(getattr(token, "expires_in", 0) or 0)
    if expires_in > 120:
        cache.set(
            key,
            {"access_token": token.access_token, "expiry": token.expiry},
            timeout=expires_in - 60,
        )
    return token


def _token_cache_key() -> str:
    seed = f"{settings.PAYPAL_API_BASE}|{_environment_name()}|{settings.PAYPAL_CLIENT_ID}"
    return "paypal:token:" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def _expired(order_id: str, exc) -> ProviderPayment:
    # PayPal forgets an order not captured in time (404 RESOURCE_NOT_FOUND):
    # nothing was taken; the pay page opens a new one.
    logger.info("PayPal order %s is gone (expired)", order_id)
    return ProviderPayment(
        provider_id=order_id,
        status=Status.CANCELLED,
        amount=Decimal("0.00"),
        currency="",
        raw=_error_body(exc),
    )


def _still_wanted(payment) -> bool:
    """Capturing ``payment`` pays exactly what its order still owes."""
    order = payment.order
    return (
        payment.status in (Status.PENDING, Status.FAILED)
        and not payment.flag
        and order_is_payable(order)
        and (order_balance(order), order.currency) == (payment.amount, payment.currency)
    )


def _back_url(name: str, order, query=None, **kwargs) -> str:
    """Where PayPal sends the customer back (it appends ?token=...): our
    absolute URL; a guest keeps the signed ``h`` of their order link."""
    url = settings.COMPTOIR_BASE_URL.rstrip("/") + reverse(
        name, kwargs={"number": order.number, **kwargs}
    )
    query = dict(query or {})
    if not order.user_id:
        query["h"] = order.verification_hash()
    return url + ("?" + urlencode(query) if query else "")


def _shipping(order) -> ShippingDetails | None:
    address = getattr(order, "shipping_address", None)
    if address is None or not address.country_id:
        return None
    fields = {
        "country_code": address.country_id,
        "address_line_1": address.line1[:300],
        "admin_area_2": (address.line4 or "")[:120],
        "postal_code": (address.postcode or "")[:60],
    }
    if address.line2:
        fields["address_line_2"] = address.line2[:300]
    if address.state:
        fields["admin_area_1"] = address.state[:300]
    name = " ".join(part for part in (address.first_name, address.last_name) if part)
    return ShippingDetails(
        name=ShippingName(full_name=(name or order.email)[:300]),
        address=Address(**{k: v for k, v in fields.items() if v}),
    )


def _value(amount) -> str:
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def _amount(value, default=None) -> Decimal:
    try:
        return Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(default if default is not None else 0).quantize(CENT)


def _json(response) -> dict:
    data = json.loads(response.text or "{}")
    return data if isinstance(data, dict) else {}


def _link(data: dict, *rels: str) -> str:
    for link in data.get("links") or []:
        if link.get("rel") in rels:
            return link.get("href", "")
    return ""


def _capture_id(raw: dict) -> str:
    """The capture's id in what PayPal told us: a captured order, or a capture event."""
    if not raw:
        return ""
    if raw.get("resource_type") == "capture":
        return (raw.get("resource") or {}).get("id", "")
    for unit in raw.get("purchase_units") or []:
        for capture in (unit.get("payments") or {}).get("captures") or []:
            if capture.get("id"):
                return capture["id"]
    return ""


def _order_id_of_capture(capture: dict) -> str:
    related = (capture.get("supplementary_data") or {}).get("related_ids") or {}
    if related.get("order_id"):
        return related["order_id"]
    up = _link(capture, "up")
    if "/v2/checkout/orders/" in up:
        return up.rstrip("/").rsplit("/", 1)[-1]
    return ""


def _error_body(exc) -> dict:
    try:
        data = json.loads(exc.response.text or "{}")
    except (AttributeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _issue(error) -> str:
    """The issue PayPal names in an error (an exception, or its body as stored)."""
    body = error if isinstance(error, dict) else _error_body(error)
    details = (body or {}).get("details") or [{}]
    return (details[0] or {}).get("issue", "") if isinstance(details[0], dict) else ""


def _decline_message(issue: str) -> str:
    if issue == "ORDER_NOT_APPROVED":
        return _("PayPal has not approved this payment yet. Nothing was charged: please try again.")
    if issue in ("INSTRUMENT_DECLINED", "TRANSACTION_REFUSED"):
        return _(
            "PayPal declined this way of paying. Nothing was charged: "
            "please choose another one at PayPal."
        )
    return _("The PayPal payment did not go through. Nothing was charged: please try again.")


def _unavailable(exc) -> ProviderError:
    logger.warning("PayPal: %s", exc)
    if getattr(exc, "response_code", None) == 401:
        # The shared token was revoked or the keys changed: the next call fetches another.
        cache.delete(_token_cache_key())
    return ProviderError(
        _("The PayPal payment service is unavailable. Please try again in a few minutes.")
    )


class _errors:
    """Turns the SDK's errors into a ProviderError with a message for the person."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, ApiException | AuthValidationException | requests.RequestException):
            raise _unavailable(exc) from exc
        return False


__all__ = ["PayPalProvider"]

"""The PayPal provider: one PayPal order per order and amount; the customer
approves it on PayPal's pages, comes back to our return view, and we capture
it there. Webhooks are checked and read in ``webhooks``; an approved
order they announce is captured here."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.models.address import Address
from paypalserversdk.models.amount_with_breakdown import AmountWithBreakdown
from paypalserversdk.models.checkout_payment_intent import CheckoutPaymentIntent
from paypalserversdk.models.money import Money
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

from billing.models import Payment
from billing.payments.selectors import order_balance, order_is_payable
from core.payment_methods import PaymentMethod

from ..base import (
    PaymentProvider,
    PaymentStep,
    ProviderError,
    ProviderPayment,
    ProviderWebhook,
)
from .answers import (
    CAPTURE_EVENTS,
    DECLINED_ISSUES,
    REFUND_STATUSES,
    amount_of,
    capture_id_of,
    decline_message,
    expired,
    from_order,
    value_of,
)
from .sdk import (
    SDK_ERRORS,
    approval_url,
    error_body,
    issue_of,
    json_of,
    make_client,
    sdk_errors,
    unavailable,
)
from .webhooks import capture_news, refund_news, webhook_event

logger = logging.getLogger(__name__)
Status = Payment.Status

# PayPal's pages in the customer's language.
PAYPAL_LOCALES = {"fr": "fr-FR", "en": "en-GB"}


class PayPalProvider(PaymentProvider):
    code = "paypal"
    method = PaymentMethod.PAYPAL
    label = gettext_lazy("PayPal")

    def is_configured(self) -> bool:
        return bool(settings.PAYPAL_CLIENT_ID and settings.PAYPAL_CLIENT_SECRET)

    # --- Paying -------------------------------------------------------------------

    def create_payment(self, *, order, amount, currency, idempotency_key):
        unit = {
            "reference_id": order.number,
            "custom_id": order.number,
            "description": _("Order %(number)s") % {"number": order.number},
            "amount": AmountWithBreakdown(currency_code=currency, value=value_of(amount)),
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
        with sdk_errors():
            response = make_client().orders.create_order(
                {
                    "body": body,
                    # A retried call returns the same PayPal order.
                    "paypal_request_id": idempotency_key,
                    "prefer": "return=representation",
                }
            )
        return from_order(json_of(response))

    def fetch_payment(self, *, provider_id):
        try:
            response = make_client().orders.get_order({"id": provider_id})
        except ApiException as exc:
            if exc.response_code == 404:
                return expired(provider_id, exc)
            raise unavailable(exc) from exc
        except SDK_ERRORS as exc:
            raise unavailable(exc) from exc
        return from_order(json_of(response))

    def cancel_payment(self, *, provider_id):
        # PayPal has no call to void an order of intent CAPTURE: unless
        # captured, it expires at PayPal. Nothing is taken before the capture,
        # and we never capture a cancelled one (finalise, the approval webhook).
        logger.info("PayPal order %s abandoned; it expires at PayPal", provider_id)

    def begin(self, *, request, order, payment, current):
        to_paypal = current.client_token or approval_url(payment.provider_id)
        refused = issue_of(payment.raw_event)
        if refused in DECLINED_ISSUES:
            # PayPal refused the last capture: say why here; the customer
            # goes back to PayPal (another funding source) when ready.
            return PaymentStep(
                template="billing/payments/paypal.html",
                context={"approval_url": to_paypal, "last_error": decline_message(refused)},
            )
        return PaymentStep(redirect_url=to_paypal)

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
            response = make_client().orders.capture_order(
                {
                    "id": payment.provider_id,
                    "paypal_request_id": request_id,
                    "prefer": "return=representation",
                }
            )
        except ApiException as exc:
            issue = issue_of(exc)
            if exc.response_code == 404:
                return expired(payment.provider_id, exc)
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
                    raw=error_body(exc),
                    order_number=payment.order.number,
                    message=decline_message(issue),
                )
            raise unavailable(exc) from exc
        except SDK_ERRORS as exc:
            raise unavailable(exc) from exc
        return from_order(json_of(response))

    def refund(self, *, payment, amount, idempotency_key):
        capture_id = capture_id_of(payment.raw_event) or capture_id_of(
            self._get_order(payment.provider_id)
        )
        if not capture_id:
            raise ProviderError(_("PayPal has no captured payment to refund for this order."))
        body = RefundRequest(
            amount=Money(currency_code=payment.currency, value=value_of(amount)),
            custom_id=payment.order.number,
        )
        with sdk_errors():
            response = make_client().payments.refund_captured_payment(
                {
                    "capture_id": capture_id,
                    "body": body,
                    "paypal_request_id": idempotency_key,
                    "prefer": "return=representation",
                }
            )
        data = json_of(response)
        money = data.get("amount") or {}
        return ProviderPayment(
            provider_id=data.get("id", ""),
            status=REFUND_STATUSES.get(data.get("status"), Status.PENDING),
            amount=amount_of(money.get("value"), default=amount),
            currency=money.get("currency_code") or payment.currency,
            raw=data,
            order_number=payment.order.number,
        )

    # --- Webhooks -----------------------------------------------------------------

    def parse_webhook(self, *, body, headers):
        event = webhook_event(body=body, headers=headers)
        return ProviderWebhook(
            event_id=event["id"],
            type=event.get("event_type", ""),
            raw=event,
            payment=self._event_payment(event),
        )

    def _event_payment(self, event: dict) -> ProviderPayment | None:
        kind = event.get("event_type", "")
        resource = event.get("resource") or {}
        if kind in CAPTURE_EVENTS:
            return capture_news(event)
        if kind == "CHECKOUT.ORDER.APPROVED":
            return self._capture_approved(resource.get("id", ""))
        if kind == "PAYMENT.CAPTURE.REFUNDED":
            return refund_news(event, resource)
        return None

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

    def _get_order(self, order_id: str) -> dict:
        with sdk_errors():
            return json_of(make_client().orders.get_order({"id": order_id}))


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

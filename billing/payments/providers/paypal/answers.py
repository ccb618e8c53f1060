"""PayPal's answers (orders, captures, refunds, errors) read as ProviderPayment."""

import logging
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from billing.models import Payment
from core.money import to_cents

from ..base import ProviderPayment
from .sdk import error_body

logger = logging.getLogger(__name__)
Status = Payment.Status

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

# 422 issues on capture that mean "the buyer's money did not come": the
# buyer approves again (PayPal lets them pick another funding source).
DECLINED_ISSUES = frozenset(
    {"INSTRUMENT_DECLINED", "TRANSACTION_REFUSED", "PAYER_ACTION_REQUIRED", "ORDER_NOT_APPROVED"}
)


def from_order(data: dict) -> ProviderPayment:
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
        amount=amount_of(money.get("value")),
        currency=money.get("currency_code", ""),
        raw=data,
        order_number=unit.get("custom_id") or unit.get("reference_id") or "",
        message=decline_message("") if status == Status.FAILED else "",
        client_token=link_of(data, "payer-action", "approve"),
    )


def expired(order_id: str, exc) -> ProviderPayment:
    # PayPal forgets an order not captured in time (404 RESOURCE_NOT_FOUND):
    # nothing was taken; the pay page opens a new one.
    logger.info("PayPal order %s is gone (expired)", order_id)
    return ProviderPayment(
        provider_id=order_id,
        status=Status.CANCELLED,
        amount=Decimal("0.00"),
        currency="",
        raw=error_body(exc),
    )


def value_of(amount) -> str:
    """An amount as PayPal writes it: "12.34"."""
    return str(to_cents(amount))


def amount_of(value, default=None) -> Decimal:
    try:
        return to_cents(value)
    except (InvalidOperation, TypeError, ValueError):
        return to_cents(default if default is not None else 0)


def link_of(data: dict, *rels: str) -> str:
    for link in data.get("links") or []:
        if link.get("rel") in rels:
            return link.get("href", "")
    return ""


def capture_id_of(raw: dict) -> str:
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


def order_id_of_capture(capture: dict) -> str:
    related = (capture.get("supplementary_data") or {}).get("related_ids") or {}
    if related.get("order_id"):
        return related["order_id"]
    up = link_of(capture, "up")
    if "/v2/checkout/orders/" in up:
        return up.rstrip("/").rsplit("/", 1)[-1]
    return ""


def decline_message(issue: str) -> str:
    if issue == "ORDER_NOT_APPROVED":
        return _("PayPal has not approved this payment yet. Nothing was charged: please try again.")
    if issue in ("INSTRUMENT_DECLINED", "TRANSACTION_REFUSED"):
        return _(
            "PayPal declined this way of paying. Nothing was charged: "
            "please choose another one at PayPal."
        )
    return _("The PayPal payment did not go through. Nothing was charged: please try again.")

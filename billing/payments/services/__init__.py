"""The ledger's writes (DESIGN.md): recording and online payments
(payments.py) and refunds (refunds.py). Callers import them from here."""

from .payments import (
    STAFF_METHODS,
    Started,
    payment_accept,
    payment_apply,
    payment_start,
    payments_reconcile_pending,
    record_payment,
    webhook_receive,
)
from .refunds import refund_apply, refund_payment, refundable

__all__ = [
    "STAFF_METHODS",
    "Started",
    "payment_accept",
    "payment_apply",
    "payment_start",
    "payments_reconcile_pending",
    "record_payment",
    "refund_apply",
    "refund_payment",
    "refundable",
    "webhook_receive",
]

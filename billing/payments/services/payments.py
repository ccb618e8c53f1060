"""Recording payments and online payments: record money received (by staff
or from a provider), start and apply an online payment, accept a deferred
one, receive a webhook once, reconcile what stayed pending. Refunds are in
refunds.py.

Every write locks the order row first (orders.services.transitions.lock_order),
so two deliveries of the same news, or a webhook racing the customer's
return, queue up and the second finds the work done.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Payment, ProviderEvent
from billing.signals import order_paid
from core.money import to_cents
from core.payment_methods import PaymentMethod
from orders.services import transitions
from orders.statuses import OrderStatus

from ..alerts import payment_alert_staff
from ..exceptions import PaymentError
from ..providers import (
    PaymentProvider,
    ProviderError,
    ProviderPayment,
    ProviderWebhook,
    get_provider,
)
from ..selectors import ZERO, order_balance, order_is_payable
from .refunds import refund_apply

logger = logging.getLogger(__name__)
Status, Kind, Flag = Payment.Status, Payment.Kind, Payment.Flag
# What staff record by hand (online methods come from their provider).
STAFF_METHODS = tuple(method for method in PaymentMethod if method.recorded_by_staff)


def record_payment(
    *,
    order_id: int,
    amount: Decimal,
    method: str,
    provider: str = "",
    provider_id: str = "",
    currency: str = "EUR",
    received_on: date | None = None,
    reference: str = "",
    by=None,
    note: str = "",
    raw_event: dict | None = None,
    source: str = transitions.STAFF,
) -> Payment:
    """Record money received for the order, as succeeded.

    Idempotent on ``(provider, provider_id)``: a payment already succeeded is
    returned unchanged; a pending or failed row of that id becomes succeeded.
    When the payments newly cover the total, the order is told
    (``order_payment_received``) and ``billing.signals.order_paid`` is sent,
    inside this transaction. More than the total flags the payment
    "overpaid"; a payment on a cancelled order is kept, flagged "refund
    due", and the order stays cancelled. Staff are alerted of both.
    """
    amount = to_cents(amount)
    if amount <= ZERO:
        raise PaymentError(_("The amount must be more than zero."))
    with transaction.atomic():
        order = transitions.lock_order(order_id)
        payment = None
        if provider_id:
            payment = (
                Payment.objects.select_for_update()
                .filter(provider=provider, provider_id=provider_id)
                .first()
            )
            if payment is not None and payment.status == Status.SUCCEEDED:
                return payment
            if payment is not None and payment.order_id != order.pk:
                raise PaymentError(_("This payment belongs to another order."))
        payment = payment or Payment(order=order, provider=provider, provider_id=provider_id)
        payment.kind = Kind.PAYMENT
        payment.method = method
        payment.amount = amount
        payment.currency = currency.upper()
        payment.status = Status.SUCCEEDED
        payment.received_on = received_on or timezone.localdate()
        payment.reference = reference
        payment.recorded_by = by
        payment.note = note or payment.note
        if raw_event is not None:
            payment.raw_event = raw_event
        payment.save()
        _settle(order, payment, by=by, source=source)
    return payment


def _settle(order, payment, *, by, source) -> None:
    """After a payment succeeded: tell the order when covered, flag the rest."""
    balance = order_balance(order)
    if order.status == OrderStatus.CANCELLED:
        _flag(payment, Flag.REFUND_DUE)
        return
    if balance <= ZERO and not order.is_paid:
        transitions.order_payment_received(order_id=order.pk, by=by, source=source)
        order.refresh_from_db()
        order_paid.send(sender=Payment, order=order, payment=payment)
    if balance < ZERO:
        _flag(payment, Flag.OVERPAID)


def _flag(payment, flag) -> None:
    payment.flag = flag
    payment.save(update_fields=["flag", "updated_at"])
    payment_alert_staff(payment)


# --- Online payments -------------------------------------------------------------


@dataclass
class Started:
    """An open online payment: our row and what the provider says of it
    (``current.status`` is succeeded when it turned out already paid)."""

    payment: Payment
    current: ProviderPayment


def payment_start(*, order_id: int, provider: PaymentProvider) -> Started:
    """Open (or reuse) the provider payment for what the order still owes.

    One provider payment per order and amount: a reload, a double submit or a
    second tab gets the same one (the order lock serialises them), so the
    customer cannot be charged twice. An open one for another amount (the
    order changed) is cancelled at the provider first.
    """
    with transaction.atomic():
        order = transitions.lock_order(order_id)
        if not order_is_payable(order):
            raise PaymentError(_("This order has nothing left to pay online."))
        amount = order_balance(order)
        open_rows = Payment.objects.select_for_update().filter(
            order=order,
            provider=provider.code,
            kind=Kind.PAYMENT,
            status__in=[Status.PENDING, Status.FAILED],
            flag="",
        )
        for row in open_rows.order_by("-pk"):
            current = provider.fetch_payment(provider_id=row.provider_id)
            if current.status == Status.SUCCEEDED:
                # Paid meanwhile (the customer came back another way): the
                # caller sees ``current.status`` and says so.
                _apply_locked(order, row, current, by=None, source=transitions.CUSTOMER)
                return Started(payment=row, current=current)
            reusable = current.status in (Status.PENDING, Status.FAILED)
            if reusable and row.amount == amount and row.currency == order.currency:
                if row.status != current.status:
                    row.status = current.status
                    row.save(update_fields=["status", "updated_at"])
                return Started(payment=row, current=current)
            if reusable:
                provider.cancel_payment(provider_id=row.provider_id)
            row.status = Status.CANCELLED
            row.save(update_fields=["status", "updated_at"])
        attempt = Payment.objects.filter(order=order, provider=provider.code).count() + 1
        current = provider.create_payment(
            order=order,
            amount=amount,
            currency=order.currency,
            idempotency_key=f"order-{order.pk}-{amount}-{attempt}",
        )
        payment = Payment.objects.create(
            order=order,
            method=provider.method,
            provider=provider.code,
            provider_id=current.provider_id,
            amount=amount,
            currency=order.currency,
            status=Status.PENDING,
            raw_event=current.raw,
        )
    return Started(payment=payment, current=current)


def payment_apply(
    *, provider: str, reported: ProviderPayment, by=None, source: str = transitions.SYSTEM
) -> Payment | None:
    """Apply what the provider says about one of our payments (on the
    customer's return, or from a webhook); None when it is not ours.

    Succeeded, for the amount the order owes, in its currency: recorded.
    Succeeded for another amount: not counted, flagged, staff alerted.
    A payment already succeeded never goes back (events out of order).
    """
    row = Payment.objects.filter(provider=provider, provider_id=reported.provider_id).first()
    if row is None:
        logger.warning("%s payment %s is not ours", provider, reported.provider_id)
        return None
    with transaction.atomic():
        order = transitions.lock_order(row.order_id)
        row = Payment.objects.select_for_update().get(pk=row.pk)
        _apply_locked(order, row, reported, by=by, source=source)
    return row


def _apply_locked(order, row, reported, *, by, source) -> None:
    if row.status == Status.SUCCEEDED:
        return
    if reported.status != Status.SUCCEEDED:
        if reported.status != Status.PENDING and row.status != reported.status:
            row.status = reported.status
            row.raw_event = reported.raw
            row.save(update_fields=["status", "raw_event", "updated_at"])
        return
    expected = order_balance(order) if order.status != OrderStatus.CANCELLED else row.amount
    if (reported.amount, reported.currency) != (row.amount, row.currency) or (
        reported.amount != expected
    ):
        if row.flag != Flag.AMOUNT_MISMATCH:
            # The row shows what the provider really took; it is not counted.
            row.raw_event = reported.raw
            row.amount, row.currency = reported.amount, reported.currency
            row.note = _(
                "The provider took %(taken)s %(currency)s; the order owed %(owed)s %(ours)s."
            ) % {
                "taken": reported.amount,
                "currency": reported.currency,
                "owed": expected,
                "ours": order.currency,
            }
            row.save(update_fields=["raw_event", "amount", "currency", "note", "updated_at"])
            _flag(row, Flag.AMOUNT_MISMATCH)
        return
    record_payment(
        order_id=order.pk,
        amount=reported.amount,
        method=row.method,
        provider=row.provider,
        provider_id=row.provider_id,
        currency=reported.currency,
        raw_event=reported.raw,
        by=by,
        source=source,
    )
    row.refresh_from_db()


def payment_accept(*, payment_id: int, by) -> Payment:
    """Staff accept a flagged amount as received (after checking it)."""
    with transaction.atomic():
        # The order first, then the row: the order every writer here locks in.
        transitions.lock_order(Payment.objects.get(pk=payment_id).order_id)
        row = Payment.objects.select_for_update().get(pk=payment_id)
        if row.flag != Flag.AMOUNT_MISMATCH or row.status == Status.SUCCEEDED:
            raise PaymentError(_("Only a payment whose amount differs can be accepted."))
        row.flag = Flag.NONE
        row.save(update_fields=["flag", "updated_at"])
        return record_payment(
            order_id=row.order_id,
            amount=row.amount,
            method=row.method,
            provider=row.provider,
            provider_id=row.provider_id,
            currency=row.currency,
            by=by,
            note=row.note,
        )


def webhook_receive(*, provider: str, webhook: ProviderWebhook) -> bool:
    """Apply a verified webhook event exactly once; False for a repeat.

    The event row and its effect commit together: if applying fails, the
    provider retries and finds no row.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ProviderEvent.objects.create(
                    provider=provider,
                    event_id=webhook.event_id,
                    type=webhook.type,
                    payload=webhook.raw,
                )
        except IntegrityError:
            return False
        if webhook.payment is not None:
            apply = refund_apply if webhook.payment.refund_of else payment_apply
            event.payment = apply(provider=provider, reported=webhook.payment)
            if event.payment is not None:
                event.save(update_fields=["payment"])
    return True


def payments_reconcile_pending(*, older_than_minutes: int = 15, max_age_days: int = 3) -> int:
    """The beat job's catch-up: ask the provider about payments still
    pending (the customer closed the tab and the webhook was lost); returns
    how many changed. Safe to run twice: applying is idempotent."""
    now = timezone.now()
    rows = list(
        Payment.objects.filter(
            kind=Kind.PAYMENT,
            status=Status.PENDING,
            flag="",
            created_at__lte=now - timedelta(minutes=older_than_minutes),
            created_at__gte=now - timedelta(days=max_age_days),
        )
        .exclude(provider="")
        .order_by("pk")[:200]
    )
    changed = 0
    for row in rows:
        try:
            provider = get_provider(row.provider, configured=False)
            reported = provider.fetch_payment(provider_id=row.provider_id)
        except (LookupError, ProviderError) as exc:
            logger.warning("Cannot reconcile payment %s: %s", row.pk, exc)
            continue
        after = payment_apply(provider=row.provider, reported=reported)
        changed += after is not None and (after.status, after.flag) != (row.status, row.flag)
    return changed

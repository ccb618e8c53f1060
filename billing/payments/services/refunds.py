"""Refunds: how much of a payment is left to give back, giving it back
(through its provider, or recorded by staff), applying a provider's news of
a refund, and clearing the flag ("overpaid", "refund due") a refund settles.

Like every ledger write, each locks the order row first.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Payment
from core.money import to_cents
from orders.services import transitions

from ..exceptions import PaymentError
from ..providers import (
    PaymentProvider,
    ProviderPayment,
    get_provider,
)
from ..selectors import ZERO, order_balance

logger = logging.getLogger(__name__)
Status, Kind, Flag = Payment.Status, Payment.Kind, Payment.Flag


def refundable(payment) -> Decimal:
    given_back = sum(
        (r.amount for r in payment.refunds.filter(status=Status.SUCCEEDED)), start=ZERO
    )
    return payment.amount - given_back


def refund_payment(
    *,
    payment_id: int,
    amount: Decimal | None = None,
    by=None,
    note: str = "",
    provider: PaymentProvider | None = None,
) -> Payment:
    """Give back ``amount`` (default: all that is left) of a succeeded
    payment: through its provider for an online payment, else recorded as
    given back by staff. Returns the refund row."""
    with transaction.atomic():
        original = Payment.objects.select_related("order").get(pk=payment_id)
        order = transitions.lock_order(original.order_id)
        original = Payment.objects.select_for_update().get(pk=payment_id)
        if original.kind != Kind.PAYMENT or original.status != Status.SUCCEEDED:
            raise PaymentError(_("Only a payment that went through can be refunded."))
        left = refundable(original)
        amount = left if amount is None else to_cents(amount)
        if amount <= ZERO or amount > left:
            raise PaymentError(
                _("The refund must be between 0.01 and %(left)s %(currency)s.")
                % {"left": left, "currency": original.currency}
            )
        refund = Payment(
            order=order,
            kind=Kind.REFUND,
            method=original.method,
            provider=original.provider,
            amount=amount,
            currency=original.currency,
            refund_of=original,
            recorded_by=by,
            note=note,
            received_on=timezone.localdate(),
            status=Status.SUCCEEDED,
        )
        if original.provider:
            try:
                provider = provider or get_provider(original.provider, configured=False)
            except LookupError:
                # A provider no longer installed: no way to refund through it.
                raise PaymentError(
                    _(
                        "The provider %(provider)s is unavailable: give the money back "
                        "yourself and record the refund by hand."
                    )
                    % {"provider": original.provider}
                ) from None
            number = original.refunds.count() + 1
            done = provider.refund(
                payment=original,
                amount=amount,
                idempotency_key=f"refund-{original.pk}-{number}-{amount}",
            )
            refund.provider_id, refund.status, refund.raw_event = (
                done.provider_id,
                done.status,
                done.raw,
            )
        refund.save()
        if refund.status == Status.SUCCEEDED:
            _refund_settles(order, original)
    return refund


def _refund_settles(order, original) -> None:
    """After a refund went through: clear the flag it settles."""
    if original.flag not in (Flag.OVERPAID, Flag.REFUND_DUE):
        return
    settled = (
        refundable(original) == ZERO
        if original.flag == Flag.REFUND_DUE
        else order_balance(order) >= ZERO
    )
    if settled:
        original.flag = Flag.NONE
        original.save(update_fields=["flag", "updated_at"])


def refund_apply(*, provider: str, reported: ProviderPayment) -> Payment | None:
    """Apply what the provider says of a refund (a webhook): one made here
    (refund_payment) gets its final status; one made at the provider (its
    dashboard) becomes a refund row of the payment it gives back. None when
    that payment is not ours. Applying the same news twice changes nothing.
    """
    original = Payment.objects.filter(
        provider=provider, provider_id=reported.refund_of, kind=Kind.PAYMENT
    ).first()
    if original is None or not reported.provider_id:
        logger.warning("%s refund %s is not ours", provider, reported.provider_id)
        return None
    with transaction.atomic():
        # The order first, as every writer here: a refund_payment still
        # talking to the provider holds it, so its row is found, not doubled.
        order = transitions.lock_order(original.order_id)
        original = Payment.objects.select_for_update().get(pk=original.pk)
        refund = (
            Payment.objects.select_for_update()
            .filter(provider=provider, provider_id=reported.provider_id)
            .first()
        )
        if refund is None:
            refund = Payment.objects.create(
                order=order,
                kind=Kind.REFUND,
                method=original.method,
                provider=provider,
                provider_id=reported.provider_id,
                amount=reported.amount,
                currency=reported.currency or original.currency,
                status=reported.status,
                refund_of=original,
                raw_event=reported.raw,
                received_on=timezone.localdate(),
                note=_("Refunded at the provider."),
            )
        elif refund.status != Status.SUCCEEDED and reported.status not in (
            Status.PENDING,
            refund.status,
        ):
            refund.status, refund.raw_event = reported.status, reported.raw
            refund.save(update_fields=["status", "raw_event", "updated_at"])
        else:
            return refund
        if refund.status == Status.SUCCEEDED:
            _refund_settles(order, original)
    return refund

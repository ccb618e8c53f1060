"""Refunding a return (or a claim): to the order's original payment through
billing's refund service (card through Stripe, PayPal through PayPal;
transfer, cheque and mandate recorded by staff once they have made the
transfer to the customer's account), with a credit note through billing's
documents. Never more than the customer paid and has not had back."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from oscar.templatetags.currency_filters import currency

from billing.documents import data as d
from billing.documents.exceptions import DocumentError
from billing.documents.invoicing import credit_lines_for_amount, credit_note_issue, invoice_for
from billing.models import Payment
from billing.payments.exceptions import PaymentError
from billing.payments.services import refund_payment, refundable
from core.money import ZERO, line_net, to_cents
from orders.amounts import order_line_rate
from orders.services import transitions as order_transitions
from returns.exceptions import ReturnError
from returns.selectors import (
    RefundProposal,
    _unit_net,
    line_refund_net,
    refund_needs_bank_details,
    refundable_to_customer,
    return_refund_proposal,
)
from returns.statuses import ReturnStatus

from . import returns as moves

S = ReturnStatus


def _credit_lines(ret, proposal: RefundProposal) -> list[d.Line]:
    lines = []
    for row in ret.lines.select_related("line__product"):
        line = row.line
        unit = _unit_net(line)
        net = line_refund_net(line, row.quantity)
        lines.append(
            d.Line(
                description=line.title,
                part_number=getattr(line.product, "mpn", "") or "",
                quantity=Decimal(row.quantity),
                unit_price_excl=unit,
                vat_rate=order_line_rate(line),
                amount_excl=None if line_net(unit, row.quantity) == net else net,
            )
        )
    if proposal.shipping_net:
        lines.append(
            d.Line(
                description=_("Shipping"),
                quantity=Decimal(1),
                unit_price_excl=proposal.shipping_net,
                vat_rate=proposal.shipping_rate,
            )
        )
    return lines


def refund_to_payments(*, order, amount: Decimal, by, note: str) -> list[Payment]:
    """Give ``amount`` back over the order's succeeded payments, online ones
    first (the card or PayPal account it came from), through billing."""
    payments = sorted(
        Payment.objects.filter(
            order=order, kind=Payment.Kind.PAYMENT, status=Payment.Status.SUCCEEDED
        ).order_by("pk"),
        key=lambda p: (not p.provider, p.pk),
    )
    left, done = amount, []
    for payment in payments:
        if left <= ZERO:
            break
        part = min(left, refundable(payment))
        if part <= ZERO:
            continue
        done.append(refund_payment(payment_id=payment.pk, amount=part, by=by, note=note))
        left -= part
    if left > ZERO:
        raise ReturnError(
            _("Only %(paid)s can be refunded on order %(number)s.")
            % {"paid": currency(amount - left, order.currency), "number": order.number}
        )
    return done


def refund_with_credit_note(*, order, amount: Decimal, lines, by, reason: str):
    """The credit note, then the money (a provider refused: nothing is kept,
    the credit note's number goes back to its sequence)."""
    amount = to_cents(amount)
    if amount <= ZERO:
        raise ReturnError(_("Nothing to refund."))
    paid = refundable_to_customer(order)
    if amount > paid:
        raise ReturnError(
            _("A refund of %(amount)s is more than the %(paid)s paid for order %(number)s.")
            % {
                "amount": currency(amount, order.currency),
                "paid": currency(paid, order.currency),
                "number": order.number,
            }
        )
    invoice = invoice_for(order)
    if invoice is None:
        raise ReturnError(
            _("Order %(number)s has no invoice to credit.") % {"number": order.number}
        )
    with override(order.language or "fr"):
        reason_text = str(reason)
        if lines is None:
            lines = credit_lines_for_amount(invoice, amount, reason_text)
    try:
        credit_note = credit_note_issue(
            invoice_id=invoice.pk, by=by, reason=reason_text, lines=lines
        )
        if credit_note.total_incl_tax != amount:
            raise ReturnError(
                _("The credit note would total %(note)s, not %(amount)s: not refunded.")
                % {
                    "note": currency(credit_note.total_incl_tax, order.currency),
                    "amount": currency(amount, order.currency),
                }
            )
        payments = refund_to_payments(order=order, amount=amount, by=by, note=reason_text)
    except (DocumentError, PaymentError) as exc:
        raise ReturnError(exc.message if hasattr(exc, "message") else str(exc)) from exc
    return credit_note, payments


def return_refund(*, return_id: int, by, amount: Decimal | None = None, note: str = "") -> object:
    """inspected → refunded: the proposed amount (or a smaller one staff
    decide, credited pro rata) back to the original payment, a credit note
    issued with it, the customer told. An order paid by transfer, cheque or
    mandate needs the customer's bank details: staff transfer the money and
    this records it."""
    with transaction.atomic():
        ret = moves.lock_return(return_id)
        order = order_transitions.lock_order(ret.order_id)
        moves.check_transition(ret, to=S.REFUNDED)
        if refund_needs_bank_details(order) and not ret.iban:
            raise ReturnError(
                _("The customer has not given the bank account to refund by transfer yet.")
            )
        proposal = return_refund_proposal(ret)
        amount = proposal.amount if amount is None else to_cents(amount)
        itemised = amount == proposal.amount
        with override(order.language or "fr"):
            reason = _("Return %(number)s") % {"number": ret.number}
        credit_note, payments = refund_with_credit_note(
            order=order,
            amount=amount,
            lines=_credit_lines(ret, proposal) if itemised else None,
            by=by,
            reason=reason,
        )
        ret.refund_amount = amount
        ret.refunded_at = timezone.now()
        ret.credit_note = credit_note
        ret.refunds.add(*payments)
        moves.apply_transition(
            ret,
            to=S.REFUNDED,
            by=by,
            source=moves.STAFF,
            note=note,
            fields=["refund_amount", "refunded_at", "credit_note"],
        )
    return ret

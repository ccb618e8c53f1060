"""Claims after delivery: a parcel damaged on arrival or an item missing,
reported within COMPTOIR_CLAIM_DAYS of delivery with photos, as a
conversation (kind "claim"); staff send a replacement at no charge
(through the orders services) or refund (credit note and refund through
billing), or refuse with a message."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import to_cents, totals
from orders.amounts import order_line_rate
from orders.services import placing
from orders.services import transitions as order_transitions
from returns.exceptions import ReturnError
from returns.models import Claim, ClaimLine, ClaimTransition
from returns.selectors import claim_lines_refusal, line_refund_net, order_claim_refusal
from returns.statuses import CLAIM_TRANSITIONS, ClaimKind, ClaimStatus

from . import conversation, emails
from .refunds import refund_with_credit_note

C = ClaimStatus


def _lock(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _move(claim: Claim, *, to: str, by, source: str, note: str = "", fields=()) -> None:
    if to not in CLAIM_TRANSITIONS.get(claim.status, frozenset()):
        raise ReturnError(
            _("This claim cannot go from “%(from)s” to “%(to)s”.")
            % {"from": C(claim.status).label, "to": C(to).label}
        )
    move = ClaimTransition.objects.create(
        claim=claim, from_status=claim.status, to_status=to, by=by, source=source, note=note
    )
    claim.status = to
    claim.save(update_fields=["status", *fields])
    _notify(claim, move)


def _notify(claim: Claim, move) -> None:
    with translation.override(claim.language):
        url = emails.base_url() + reverse("returns:claim", kwargs={"pk": claim.pk})
        status_label = str(C(move.to_status).label)
    emails.email_queue(
        key=f"claim:{claim.pk}:{move.pk}",
        to=claim.order.email or claim.customer.email,
        subject=gettext_lazy("Your claim on order %(number)s: %(status)s"),
        params={"number": claim.order.number, "status": status_label.lower()},
        template="claim_update",
        context={
            "claim": claim,
            "move": move,
            "status": move.to_status,
            "url": url,
            "name": claim.customer.get_full_name() or claim.customer.email,
        },
        language=claim.language,
        about=claim,
    )


def claim_open(
    *,
    order_id: int,
    customer,
    kind: str,
    description: str,
    lines: list[tuple[int, int]],
    photos=(),
) -> Claim:
    """The customer reports damage (photos required) or a missing item."""
    if kind not in ClaimKind.values:
        raise ReturnError(_("Say what happened."))
    if kind == ClaimKind.DAMAGED and not photos:
        raise ReturnError(_("Add photos of the parcel and the damaged goods."))
    photos = conversation.photos_checked(photos)
    with transaction.atomic():
        order = order_transitions.lock_order(order_id)
        if order.user_id != customer.pk:
            raise ReturnError(_("This order is not yours."))
        refusal = order_claim_refusal(order)
        if refusal is not None:
            raise ReturnError(refusal)
        refusal = claim_lines_refusal(order, lines)
        if refusal is not None:
            raise ReturnError(refusal)
        claim = Claim.objects.create(
            order=order,
            customer=customer,
            kind=kind,
            description=description.strip()[:4000],
            language=order.language or "fr",
        )
        ClaimLine.objects.bulk_create(
            ClaimLine(claim=claim, line_id=line_id, quantity=units) for line_id, units in lines
        )
        move = ClaimTransition.objects.create(
            claim=claim, from_status="", to_status=C.OPEN, by=customer, source="customer"
        )
        conversation.thread_open(claim, body=claim.description, attachments=photos)
        _notify(claim, move)
    return claim


def claim_replace(*, claim_id: int, by, message: str = "") -> Claim:
    """open → replaced: the claimed units sent again at no charge."""
    with transaction.atomic():
        claim = _lock(claim_id)
        quantities = {row.line_id: row.quantity for row in claim.lines.all()}
        if not quantities:
            raise ReturnError(_("The claim names no item to replace: refund it instead."))
        if claim.status != C.OPEN:
            raise ReturnError(_("This claim is already settled."))
        claim.replacement_order = placing.order_place_replacement(
            original_id=claim.order_id,
            quantities=quantities,
            by=by,
            note=_("Replacement for a delivery claim"),
        )
        conversation.staff_message(claim, by=by, body=message)
        _move(
            claim,
            to=C.REPLACED,
            by=by,
            source="staff",
            note=message,
            fields=["replacement_order"],
        )
    return claim


def claim_value(claim: Claim) -> Decimal:
    """The claimed units at their agreed prices, incl. VAT (core.money)."""
    return totals(
        (order_line_rate(row.line), line_refund_net(row.line, row.quantity))
        for row in claim.lines.select_related("line")
    ).gross


def claim_refund(*, claim_id: int, by, amount=None, message: str = "") -> Claim:
    """open → refunded: the amount (default: the claimed units' value) back
    to the original payment with a credit note."""
    with transaction.atomic():
        claim = _lock(claim_id)
        order = order_transitions.lock_order(claim.order_id)
        if claim.status != C.OPEN:
            raise ReturnError(_("This claim is already settled."))
        amount = claim_value(claim) if amount is None else to_cents(amount)
        with translation.override(claim.language):
            reason = _("Delivery claim on order %(number)s") % {"number": order.number}
        credit_note, _payments = refund_with_credit_note(
            order=order, amount=amount, lines=None, by=by, reason=reason
        )
        claim.refund_amount, claim.credit_note = amount, credit_note
        conversation.staff_message(claim, by=by, body=message)
        _move(
            claim,
            to=C.REFUNDED,
            by=by,
            source="staff",
            note=message,
            fields=["refund_amount", "credit_note"],
        )
    return claim


def claim_refuse(*, claim_id: int, by, message: str) -> Claim:
    if not message.strip():
        raise ReturnError(_("Tell the customer why the claim is refused."))
    with transaction.atomic():
        claim = _lock(claim_id)
        conversation.staff_message(claim, by=by, body=message)
        _move(claim, to=C.REFUSED, by=by, source="staff", note=message.strip())
    return claim

"""A return's moves: one function each, locking the return (and the order
when units are counted), checking the move and its rule under the lock,
changing it, recording a ReturnTransition and emailing the customer.

requested → accepted / refused → in transit → received → inspected →
refunded / exchanged / rejected (returns/statuses.py)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from orders.services import placing, stock
from orders.services import transitions as order_transitions
from returns.exceptions import InvalidReturnTransition, ReturnError
from returns.models import Return, ReturnLine, ReturnSequence, ReturnTransition
from returns.selectors import (
    order_return_refusal,
    refund_needs_bank_details,
    return_lines_refusal,
    return_refund_deadline,
    return_refund_proposal,
    sound_units_default,
)
from returns.statuses import SLIP_STATES, TRANSITIONS, ReturnStatus

from . import conversation, emails

Line = get_model("order", "Line")
S = ReturnStatus
CUSTOMER, STAFF, SYSTEM = "customer", "staff", "system"


def lock_return(return_id: int) -> Return:
    return Return.objects.select_for_update().get(pk=return_id)


def check_transition(ret: Return, *, to: str) -> None:
    if to not in TRANSITIONS.get(ret.status, frozenset()):
        raise InvalidReturnTransition(ret, to)


def apply_transition(ret: Return, *, to: str, by=None, source: str, note: str = "", fields=()):
    """Move a locked return, record the move, email the customer."""
    check_transition(ret, to=to)
    move = ReturnTransition.objects.create(
        ret=ret, from_status=ret.status, to_status=to, by=by, source=source, note=note
    )
    ret.status = to
    ret.save(update_fields=["status", *fields])
    notify_customer(ret, move)
    return move


def return_path(ret: Return) -> str:
    return reverse("returns:detail", kwargs={"pk": ret.pk})


def notify_customer(ret: Return, move) -> None:
    """Every move the customer should know of: one email (in their language)."""
    if move.to_status == S.IN_TRANSIT and move.source == CUSTOMER:
        return  # they just typed it themselves; the page says so
    language = ret.language
    with translation.override(language):
        url = emails.base_url() + return_path(ret)
        status_label = str(S(move.to_status).label)
    emails.email_queue(
        key=f"return:{ret.pk}:{move.pk}",
        to=ret.order.email or ret.customer.email,
        subject=gettext_lazy("Your return %(number)s: %(status)s"),
        params={"number": str(ret.number or ret.order.number), "status": status_label.lower()},
        template="return_update",
        context={
            "ret": ret,
            "move": move,
            "status": move.to_status,
            "url": url,
            "deadline": return_refund_deadline(ret),
            "by_transfer": refund_needs_bank_details(ret.order),
            "name": ret.customer.get_full_name() or ret.customer.email,
        },
        language=language,
        about=ret,
    )


# --- the customer asks -----------------------------------------------------------


def return_request(
    *, order_id: int, customer, lines: list[tuple[int, int, str]], comment: str = ""
) -> Return:
    """The customer asks to send back ``lines`` ((order line id, units,
    reason)) of their delivered order. The order and its lines are locked,
    so two requests (two tabs, a double click) cannot ask for the same
    units twice: the second finds them taken."""
    with transaction.atomic():
        order = order_transitions.lock_order(order_id)
        if order.user_id != customer.pk:
            raise ReturnError(_("This order is not yours."))
        list(Line.objects.filter(order=order).order_by("pk").select_for_update())
        refusal = order_return_refusal(order) or return_lines_refusal(order, lines)
        if refusal is not None:
            raise ReturnError(refusal)
        ret = Return.objects.create(
            order=order,
            customer=customer,
            comment=comment.strip()[:4000],
            language=order.language or translation.get_language() or "fr",
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(ret=ret, line_id=line_id, quantity=units, reason=reason)
            for line_id, units, reason in lines
        )
        move = ReturnTransition.objects.create(
            ret=ret, from_status="", to_status=S.REQUESTED, by=customer, source=CUSTOMER
        )
        conversation.thread_open(ret, body=comment)
        notify_customer(ret, move)
    return ret


def return_bank_details(*, return_id: int, customer, holder: str, iban: str, bic: str = ""):
    """The account a transfer refund goes to (orders paid by transfer,
    cheque or mandate); IBAN and BIC checked with python-stdnum."""
    try:
        iban = stdnum_iban.validate(iban)
    except StdnumError:
        raise ReturnError(_("This IBAN is not valid: check it on your bank details.")) from None
    if bic.strip():
        try:
            bic = stdnum_bic.validate(bic)
        except StdnumError:
            raise ReturnError(_("This BIC is not valid.")) from None
    with transaction.atomic():
        ret = lock_return(return_id)
        if ret.customer_id != customer.pk:
            raise ReturnError(_("This return is not yours."))
        if ret.status in (S.REFUNDED, S.EXCHANGED, S.REJECTED, S.REFUSED):
            raise ReturnError(_("This return is closed."))
        ret.account_holder, ret.iban, ret.bic = holder.strip()[:140], iban, bic.strip()
        ret.save(update_fields=["account_holder", "iban", "bic"])
    return ret


def return_ship(*, return_id: int, customer, carrier: str, tracking_number: str) -> Return:
    """accepted → in transit: the customer gives the carrier and the
    tracking number of the parcel (and may correct them while in transit)."""
    carrier, tracking_number = carrier.strip()[:64], tracking_number.strip()[:64]
    with transaction.atomic():
        ret = lock_return(return_id)
        if ret.customer_id != customer.pk:
            raise ReturnError(_("This return is not yours."))
        if ret.status not in SLIP_STATES:
            raise InvalidReturnTransition(ret, S.IN_TRANSIT)
        if not (carrier and tracking_number):
            raise ReturnError(_("Give the carrier and the tracking number of your parcel."))
        ret.carrier, ret.tracking_number = carrier, tracking_number
        if ret.status == S.IN_TRANSIT:
            ret.save(update_fields=["carrier", "tracking_number"])
        else:
            apply_transition(
                ret,
                to=S.IN_TRANSIT,
                by=customer,
                source=CUSTOMER,
                note=f"{carrier} {tracking_number}",
                fields=["carrier", "tracking_number"],
            )
    return ret


# --- staff ---------------------------------------------------------------------


def _next_number(year: int) -> str:
    """RMA-2026-00001: gapless per year, the year's row locked until commit."""
    sequence, _created = ReturnSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"RMA-{year}-{sequence.last_number:05d}"


def return_accept(*, return_id: int, by, message: str = "") -> Return:
    """requested → accepted: the return gets its number and its slip."""
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.ACCEPTED)
        ret.number = _next_number(timezone.localdate().year)
        ret.accepted_at = timezone.now()
        conversation.staff_message(ret, by=by, body=message)
        apply_transition(
            ret,
            to=S.ACCEPTED,
            by=by,
            source=STAFF,
            note=message,
            fields=["number", "accepted_at"],
        )
    return ret


def return_refuse(*, return_id: int, by, message: str) -> Return:
    """requested → refused, with the reason for the customer."""
    if not message.strip():
        raise ReturnError(_("Tell the customer why the return is refused."))
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.REFUSED)
        conversation.staff_message(ret, by=by, body=message)
        apply_transition(ret, to=S.REFUSED, by=by, source=STAFF, note=message.strip())
    return ret


def return_receive(
    *, return_id: int, by, sound: dict[int, int] | None = None, note: str = ""
) -> Return:
    """accepted or in transit → received: the parcel is in. Sound units
    (``{return line id: units}``; default: selectors.sound_units_default,
    none of a defect or transport damage) go back in stock through the
    stock service. The 7-business-day refund deadline starts now."""
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.RECEIVED)
        rows = list(
            ret.lines.select_related(
                "line__stockrecord", "line__product__product_class", "line__product__parent"
            )
        )
        back: dict[int, int] = {}
        for row in rows:
            units = sound_units_default(row) if sound is None else sound.get(row.pk, 0)
            if units < 0 or units > row.quantity:
                raise ReturnError(
                    _("“%(title)s”: between 0 and %(n)d unit(s) go back in stock.")
                    % {"title": row.line.title, "n": row.quantity}
                )
            if not (row.line.stockrecord_id and row.line.tracks_stock):
                units = 0
            row.restocked = units
            if units:
                back[row.line.stockrecord_id] = back.get(row.line.stockrecord_id, 0) + units
        stock.stock_put_back(quantities=back)
        ReturnLine.objects.bulk_update(rows, ["restocked"])
        ret.received_at = timezone.now()
        apply_transition(ret, to=S.RECEIVED, by=by, source=STAFF, note=note, fields=["received_at"])
    return ret


def return_inspect(*, return_id: int, by, note: str = "") -> Return:
    """received → inspected: the refund is proposed (goods, and the
    delivery where the law requires it), from core.money."""
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.INSPECTED)
        proposal = return_refund_proposal(ret)
        ret.refund_goods = proposal.goods.gross
        ret.refund_shipping = proposal.shipping_gross
        ret.refund_amount = proposal.amount
        apply_transition(
            ret,
            to=S.INSPECTED,
            by=by,
            source=STAFF,
            note=note,
            fields=["refund_goods", "refund_shipping", "refund_amount"],
        )
    return ret


def return_exchange(*, return_id: int, by, note: str = "") -> Return:
    """inspected → exchanged: the same goods sent again at no charge (a
    replacement order through the orders services)."""
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.EXCHANGED)
        quantities: dict[int, int] = {}
        for row in ret.lines.all():
            quantities[row.line_id] = quantities.get(row.line_id, 0) + row.quantity
        ret.exchange_order = placing.order_place_replacement(
            original_id=ret.order_id,
            quantities=quantities,
            by=by,
            note=_("Exchange for return %(number)s") % {"number": ret.number},
        )
        apply_transition(
            ret, to=S.EXCHANGED, by=by, source=STAFF, note=note, fields=["exchange_order"]
        )
    return ret


def return_reject(*, return_id: int, by, message: str) -> Return:
    """inspected → rejected (e.g. damage caused by use), with the reason."""
    if not message.strip():
        raise ReturnError(_("Tell the customer why the return is rejected."))
    with transaction.atomic():
        ret = lock_return(return_id)
        check_transition(ret, to=S.REJECTED)
        conversation.staff_message(ret, by=by, body=message)
        apply_transition(ret, to=S.REJECTED, by=by, source=STAFF, note=message.strip())
    return ret

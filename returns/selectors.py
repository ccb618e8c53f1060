"""The returns rules that pages, the admin and the services share: whether
an order may be returned or claimed and why not, how many units of each
line are left to return, the refund proposed, and the refund deadline.

Each ``*_refusal`` says why (a message for the person) or None; the
services check the same function under their lock, the pages offer an
action only when it is None."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.payments.selectors import amount_paid
from core.business_days import add_business_days
from core.money import ZERO, Totals, line_net, net_for_gross, to_cents, totals
from core.payment_methods import PaymentMethod
from orders.amounts import order_line_rate, shipping_rate
from orders.selectors import order_delivered_at, order_lines
from orders.statuses import OrderStatus
from shop.shipping.pricing import STANDARD, is_pickup_code
from shop.shipping.repository import delivery_methods

from .models import Claim, ClaimLine, Return, ReturnLine
from .statuses import (
    AWAITING_REFUND,
    CONFORMITY_REASONS,
    HOLDING,
    ClaimStatus,
    ReturnReason,
    ReturnStatus,
)

# --- the window -------------------------------------------------------------


def return_window_end(order):
    """The last moment a return may be asked for, or None (not delivered)."""
    delivered = order_delivered_at(order)
    if delivered is None:
        return None
    return delivered + timedelta(days=settings.COMPTOIR_RETURN_DAYS)


def claim_window_end(order):
    delivered = order_delivered_at(order)
    if delivered is None:
        return None
    return delivered + timedelta(days=settings.COMPTOIR_CLAIM_DAYS)


# --- lines ------------------------------------------------------------------


def line_exclusion(line) -> str | None:
    """Why the terms of sale exclude this line from a return for a change of
    mind (activated software, custom-sourced items), or None. A defect, a
    non-conformity or transport damage is taken back all the same."""
    if line.is_fee:
        return _("Fees are not goods: they are not returned.")
    product = line.product if line.product_id else None
    if product is None:
        # Placed from a quote: bought for this customer from a supplier.
        return _("Sourced on request for you: returned only when defective.")
    exclusion = product.return_exclusion or (
        product.parent.return_exclusion if product.parent_id else ""
    )
    if exclusion == "software":
        return _("Activated software: returned only when defective.")
    if exclusion == "custom":
        return _("Sourced on request for you: returned only when defective.")
    return None


def returned_units(order, *, exclude_return_id: int | None = None) -> dict[int, int]:
    """Units of each line already asked back by returns that hold them."""
    rows = ReturnLine.objects.filter(ret__order=order, ret__status__in=HOLDING)
    if exclude_return_id is not None:
        rows = rows.exclude(ret_id=exclude_return_id)
    return {
        row["line_id"]: row["units"]
        for row in rows.values("line_id").annotate(units=Sum("quantity"))
    }


def claimed_units(order) -> dict[int, int]:
    """Units of each line named by claims not refused (replaced or refunded
    units, or still open, are settled through the claim)."""
    rows = ClaimLine.objects.filter(claim__order=order).exclude(claim__status=ClaimStatus.REFUSED)
    return {
        row["line_id"]: row["units"]
        for row in rows.values("line_id").annotate(units=Sum("quantity"))
    }


@dataclass(frozen=True)
class ReturnableLine:
    line: object
    delivered: int
    returned: int
    # Excluded except under the guarantee of conformity (defect, damage...).
    exclusion: str | None
    claimed: int = 0

    @property
    def available(self) -> int:
        """THE rule of open units, for a return and a claim alike: delivered
        minus units in returns (not refused/rejected) minus units in claims
        (not refused); an item is never refunded twice."""
        return max(self.delivered - self.returned - self.claimed, 0)


def returnable_lines(order, lines=None) -> list[ReturnableLine]:
    """Each goods line of a delivered order with the units still open for a
    return or a claim (the services call it again under the order's lock)."""
    lines = order_lines(order) if lines is None else lines
    taken = returned_units(order)
    claimed = claimed_units(order)
    return [
        ReturnableLine(
            line=line,
            delivered=line.quantity,
            returned=taken.get(line.pk, 0),
            exclusion=line_exclusion(line),
            claimed=claimed.get(line.pk, 0),
        )
        for line in lines
        if not line.is_fee
    ]


def claim_lines_refusal(order, wanted: list[tuple[int, int]]) -> str | None:
    """Why these (line id, units) may not be claimed, or None: never more
    units than are still open (see ReturnableLine.available)."""
    lines = {item.line.pk: item for item in returnable_lines(order)}
    seen = set()
    for line_id, units in wanted:
        item = lines.get(line_id)
        if item is None or line_id in seen or units < 1:
            return _("Choose the items concerned and how many.")
        seen.add(line_id)
        if units > item.available:
            return _open_units_message(item)
    return None


def _open_units_message(item: ReturnableLine) -> str:
    return _(
        "“%(title)s”: %(available)d unit(s) left (%(delivered)d delivered, "
        "%(taken)d already in a return or a claim)."
    ) % {
        "title": item.line.title,
        "available": item.available,
        "delivered": item.delivered,
        "taken": item.returned + item.claimed,
    }


SOUND_BY_DEFAULT = frozenset({ReturnReason.WITHDRAWAL, ReturnReason.NOT_AS_DESCRIBED})


def sound_units_default(row) -> int:
    """Units of a return line proposed back on sale when the parcel is in:
    all of a withdrawal or a non-conformity, none of a defect or of goods
    damaged in transport (staff change it at receipt)."""
    return row.quantity if row.reason in SOUND_BY_DEFAULT else 0


# --- may the customer ask? --------------------------------------------------


def order_return_refusal(order, *, now=None) -> str | None:
    """Why the customer may not ask to return goods of the order now, or None."""
    if order.user_id is None:
        return _("Returns are asked from your account: please contact us.")
    if order.status != OrderStatus.DELIVERED:
        return _("A return can be asked once the order is delivered.")
    end = return_window_end(order)
    if end is None or (now or timezone.now()) > end:
        return _("The %(days)d days to ask for a return after delivery are over.") % {
            "days": settings.COMPTOIR_RETURN_DAYS
        }
    if not any(item.available for item in returnable_lines(order)):
        return _("Every item of this order is already in a return or a claim.")
    return None


def return_lines_refusal(order, wanted: list[tuple[int, int, str]]) -> str | None:
    """Why these (line id, units, reason) may not be returned, or None:
    units never above delivered minus already returned, excluded goods only
    under the guarantee of conformity."""
    if not wanted:
        return _("Choose at least one item and how many to return.")
    lines = {item.line.pk: item for item in returnable_lines(order)}
    seen = set()
    for line_id, units, reason in wanted:
        item = lines.get(line_id)
        if item is None or line_id in seen:
            return _("This item is not part of the order.")
        seen.add(line_id)
        if reason not in ReturnReason.values:
            return _("Choose a reason for each item.")
        if units < 1 or units > item.available:
            return _open_units_message(item)
        if item.exclusion and reason not in CONFORMITY_REASONS:
            return f"“{item.line.title}”: {item.exclusion}"
    return None


def order_claim_refusal(order, *, now=None) -> str | None:
    """Why the customer may not report a damaged or missing delivery now."""
    if order.user_id is None:
        return _("Claims are made from your account: please contact us.")
    if order.status != OrderStatus.DELIVERED:
        return _("A delivery problem is reported once the order is delivered.")
    end = claim_window_end(order)
    if end is None or (now or timezone.now()) > end:
        return _(
            "Damage or missing items are reported within %(days)d days of delivery: "
            "please ask for a return instead."
        ) % {"days": settings.COMPTOIR_CLAIM_DAYS}
    if Claim.objects.filter(order=order, status=ClaimStatus.OPEN).exists():
        return _("A claim on this order is already open.")
    return None


# --- money ------------------------------------------------------------------


def _unit_net(line) -> Decimal:
    """The agreed unit price excl. VAT (a discounted line: net over quantity),
    as the invoice prints it (billing.documents.invoicing)."""
    net = to_cents(line.line_price_excl_tax)
    unit = line.unit_price_excl_tax
    if unit is None or line_net(unit, line.quantity) != net:
        unit = net / line.quantity
    return unit


def line_refund_net(line, units: int) -> Decimal:
    if units == line.quantity:
        return to_cents(line.line_price_excl_tax)
    return line_net(_unit_net(line), units)


def standard_delivery_cost(order) -> Decimal:
    """What the cheapest standard delivery would have cost this order, incl.
    VAT: the most a withdrawal refunds of the delivery (Code de la
    consommation, L221-24: not the extra of a costlier method chosen)."""
    goods = totals(
        (order_line_rate(line), to_cents(line.line_price_excl_tax)) for line in order.lines.all()
    ).gross
    for method in delivery_methods():
        if getattr(method, "code", "") == STANDARD:
            free_from = method.free_from_incl_tax
            if free_from is not None and goods >= free_from:
                return ZERO
            return to_cents(method.price_incl_tax)
    return to_cents(order.shipping_incl_tax)


@dataclass(frozen=True)
class RefundProposal:
    goods: Totals
    # The delivery refunded (incl. VAT) and its net at the order's rate.
    shipping_gross: Decimal
    shipping_net: Decimal
    shipping_rate: Decimal

    @property
    def total(self) -> Totals:
        if not self.shipping_net:
            return self.goods
        return self.goods + totals([(self.shipping_rate, self.shipping_net)])

    @property
    def amount(self) -> Decimal:
        return self.total.gross


def return_refund_proposal(ret) -> RefundProposal:
    """The goods of the return (their agreed nets, VAT by rate through
    core.money) and, when the whole order comes back, its delivery: in full
    under the guarantee of conformity, up to the standard delivery for a
    withdrawal."""
    order = ret.order
    rows = list(ret.lines.select_related("line"))
    goods = totals(
        (order_line_rate(row.line), line_refund_net(row.line, row.quantity)) for row in rows
    )
    rate = shipping_rate(order)
    shipping_gross = ZERO
    if order.shipping_incl_tax and _whole_order_back(ret):
        reasons = {row.reason for row in rows}
        if reasons <= CONFORMITY_REASONS:
            shipping_gross = to_cents(order.shipping_incl_tax)
        elif is_pickup_code(order.shipping_code):
            shipping_gross = ZERO
        else:
            shipping_gross = min(to_cents(order.shipping_incl_tax), standard_delivery_cost(order))
    net = ZERO
    if shipping_gross:
        net = (
            to_cents(order.shipping_excl_tax)
            if shipping_gross == to_cents(order.shipping_incl_tax)
            else net_for_gross(shipping_gross, rate)
        )
        shipping_gross = totals([(rate, net)]).gross
    return RefundProposal(
        goods=goods, shipping_gross=shipping_gross, shipping_net=net, shipping_rate=rate
    )


def _whole_order_back(ret) -> bool:
    """Every goods unit of the order is in this return or an earlier one."""
    order = ret.order
    taken = returned_units(order, exclude_return_id=ret.pk)
    for row in ret.lines.all():
        taken[row.line_id] = taken.get(row.line_id, 0) + row.quantity
    return all(
        taken.get(line.pk, 0) >= line.quantity for line in order.lines.all() if not line.is_fee
    )


def refundable_to_customer(order) -> Decimal:
    """What the customer paid and has not had back (no refund may exceed it)."""
    return max(amount_paid(order), ZERO)


def refund_needs_bank_details(order) -> bool:
    """Paid by transfer, cheque or mandate: refunded by transfer to the
    customer's account (card and PayPal go back to the card or account)."""
    method = PaymentMethod.of(order.payment_method)
    return not (method and method.is_online)


# --- the 7-business-day promise --------------------------------------------


def return_refund_deadline(ret) -> date | None:
    """The refund is due by then: so many French business days after the
    goods were received (COMPTOIR_REFUND_BUSINESS_DAYS)."""
    if ret.received_at is None:
        return None
    received = timezone.localdate(ret.received_at)
    return add_business_days(received, settings.COMPTOIR_REFUND_BUSINESS_DAYS)


def return_at_risk(ret, *, today: date | None = None) -> bool:
    """Not refunded yet and due within COMPTOIR_REFUND_RISK_BUSINESS_DAYS
    business days (or past due)."""
    deadline = return_refund_deadline(ret)
    if deadline is None or ret.status not in AWAITING_REFUND:
        return False
    today = today or timezone.localdate()
    return deadline <= add_business_days(today, settings.COMPTOIR_REFUND_RISK_BUSINESS_DAYS)


def return_past_due(ret, *, today: date | None = None) -> bool:
    deadline = return_refund_deadline(ret)
    if deadline is None or ret.status not in AWAITING_REFUND:
        return False
    return deadline < (today or timezone.localdate())


def returns_awaiting_refund():
    return Return.objects.filter(status__in=AWAITING_REFUND).select_related("order", "customer")


def returns_at_risk(*, today: date | None = None) -> list:
    return [r for r in returns_awaiting_refund() if return_at_risk(r, today=today)]


def returns_past_due(*, today: date | None = None) -> list:
    past = [r for r in returns_awaiting_refund() if return_past_due(r, today=today)]
    return sorted(past, key=lambda r: (r.received_at, r.pk))


# --- the customer's own ---------------------------------------------------------


def returns_for_customer(user):
    return (
        Return.objects.filter(customer=user)
        .select_related("order")
        .prefetch_related("lines__line")
        .order_by("-created_at", "-pk")
    )


def return_for_customer(user, pk: int):
    """The customer's own return, or 404 (staff see every one)."""
    returns = Return.objects.select_related("order", "customer")
    if not (user.is_authenticated and user.is_staff):
        if not user.is_authenticated:
            raise Http404
        returns = returns.filter(customer=user)
    ret = returns.filter(pk=pk).first()
    if ret is None:
        raise Http404
    return ret


def claims_for_customer(user):
    return Claim.objects.filter(customer=user).select_related("order").order_by("-created_at")


def claim_for_customer(user, pk: int):
    claims = Claim.objects.select_related("order", "customer")
    if not (user.is_authenticated and user.is_staff):
        if not user.is_authenticated:
            raise Http404
        claims = claims.filter(customer=user)
    claim = claims.filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


def order_returns(order):
    return Return.objects.filter(order=order).order_by("-created_at", "-pk")


def return_steps(ret) -> list[str]:
    """The statuses a customer reads on the return's page, in order."""
    path = [ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED, ReturnStatus.IN_TRANSIT]
    path += [ReturnStatus.RECEIVED, ReturnStatus.INSPECTED, ReturnStatus.REFUNDED]
    return [str(s) for s in path]

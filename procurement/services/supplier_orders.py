"""Orders to suppliers (commandes fournisseur) and goods receipt (réception).

From a customer order, the lines that came from a quote are grouped by the
supplier of their chosen offer, one supplier order each. Staff record when
it is ordered (the supplier's number), in transit (tracking), received or
in trouble, with an expected date; late ones go into a daily digest.
Receiving goods that match tells the orders app the units are in hand
(``orders.services.receiving``), which lets the order go to picking.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from orders.exceptions import OrderError
from orders.services.receiving import order_lines_received
from procurement.exceptions import ProcurementError
from procurement.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    QuoteLine,
    Supplier,
    SupplierOffer,
    SupplierOrder,
    SupplierOrderLine,
    SupplierOrderState,
)

from . import emails, pricing

Line = get_model("order", "Line")
SUPPLIER_ORDER_TRANSITIONS = {
    SupplierOrderState.TO_ORDER: frozenset(
        {SupplierOrderState.ORDERED, SupplierOrderState.PROBLEM}
    ),
    SupplierOrderState.ORDERED: frozenset(
        {SupplierOrderState.IN_TRANSIT, SupplierOrderState.RECEIVED, SupplierOrderState.PROBLEM}
    ),
    SupplierOrderState.IN_TRANSIT: frozenset(
        {SupplierOrderState.RECEIVED, SupplierOrderState.PROBLEM}
    ),
    SupplierOrderState.PROBLEM: frozenset(
        {SupplierOrderState.ORDERED, SupplierOrderState.IN_TRANSIT, SupplierOrderState.RECEIVED}
    ),
    SupplierOrderState.RECEIVED: frozenset(),
}
OPEN_STATES = (
    SupplierOrderState.TO_ORDER,
    SupplierOrderState.ORDERED,
    SupplierOrderState.IN_TRANSIT,
    SupplierOrderState.PROBLEM,
)
QUOTE_LINE_PREFIX = "quote-line:"


def _quote_line_id(order_line) -> int | None:
    reference = order_line.partner_line_reference or ""
    if reference.startswith(QUOTE_LINE_PREFIX) and reference[len(QUOTE_LINE_PREFIX) :].isdigit():
        return int(reference[len(QUOTE_LINE_PREFIX) :])
    return None


def supplier_orders_create(*, order_id: int, by=None) -> list[SupplierOrder]:
    """One supplier order per supplier for the order's quoted lines not yet
    ordered; returns the new ones (none when everything is covered, so a
    second call changes nothing)."""
    with transaction.atomic():
        lines = list(
            Line.objects.select_for_update()
            .filter(order_id=order_id, num_awaited__gt=0)
            .order_by("pk")
        )
        covered = set(
            SupplierOrderLine.objects.filter(order_line__in=lines).values_list(
                "order_line_id", flat=True
            )
        )
        quote_lines = QuoteLine.objects.select_related("offer__supplier").in_bulk(
            [i for i in map(_quote_line_id, lines) if i]
        )
        by_supplier: defaultdict[Supplier, list[tuple[Any, SupplierOffer]]] = defaultdict(list)
        for line in lines:
            quote_line = quote_lines.get(_quote_line_id(line))
            if line.pk in covered or quote_line is None or quote_line.offer is None:
                continue
            by_supplier[quote_line.offer.supplier].append((line, quote_line.offer))
        if not by_supplier:
            raise ProcurementError(_("Nothing left to order from suppliers for this order."))
        today = timezone.localdate()
        created = []
        for supplier, pairs in sorted(by_supplier.items(), key=lambda item: item[0].pk):
            lead = max(offer.lead_time_days for _line, offer in pairs)
            supplier_order = SupplierOrder.objects.create(
                supplier=supplier,
                order_id=order_id,
                expected_on=today + timedelta(days=lead),
                created_by=by,
            )
            SupplierOrderLine.objects.bulk_create(
                SupplierOrderLine(
                    supplier_order=supplier_order,
                    order_line=line,
                    offer=offer,
                    supplier_reference=offer.supplier_reference,
                    title=line.title,
                    quantity=line.num_awaited,
                    unit_cost=pricing.unit_cost_eur(offer),
                )
                for line, offer in pairs
            )
            created.append(supplier_order)
    return created


def _lock(supplier_order_id: int) -> SupplierOrder:
    return SupplierOrder.objects.select_for_update().get(pk=supplier_order_id)


def _move(supplier_order, to: str) -> None:
    if to not in SUPPLIER_ORDER_TRANSITIONS[supplier_order.state]:
        raise ProcurementError(
            _("Supplier order %(pk)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "pk": supplier_order.pk,
                "from": SupplierOrderState(supplier_order.state).label,
                "to": SupplierOrderState(to).label,
            }
        )
    supplier_order.state = to


def _append_note(supplier_order, by, note: str) -> None:
    note = note.strip()
    if note:
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M} {by or 'system'}"
        supplier_order.note = f"{supplier_order.note}\n{stamp}: {note}".strip()


def supplier_order_mark_ordered(
    *, supplier_order_id: int, by, supplier_order_number: str, expected_on=None, note=""
):
    number = supplier_order_number.strip()
    if not number:
        raise ProcurementError(_("Give the supplier's order number."))
    with transaction.atomic():
        supplier_order = _lock(supplier_order_id)
        _move(supplier_order, SupplierOrderState.ORDERED)
        supplier_order.supplier_order_number = number[:64]
        supplier_order.ordered_at = supplier_order.ordered_at or timezone.now()
        supplier_order.expected_on = expected_on or supplier_order.expected_on
        _append_note(supplier_order, by, note)
        supplier_order.save()
    return supplier_order


def supplier_order_mark_in_transit(
    *, supplier_order_id: int, by, tracking_number: str, expected_on=None, note=""
):
    tracking = tracking_number.strip()
    if not tracking:
        raise ProcurementError(_("Give the tracking number."))
    with transaction.atomic():
        supplier_order = _lock(supplier_order_id)
        _move(supplier_order, SupplierOrderState.IN_TRANSIT)
        supplier_order.tracking_number = tracking[:64]
        supplier_order.expected_on = expected_on or supplier_order.expected_on
        _append_note(supplier_order, by, note)
        supplier_order.save()
    return supplier_order


def supplier_order_mark_problem(*, supplier_order_id: int, by, note: str):
    if not note.strip():
        raise ProcurementError(_("Say what the problem is."))
    with transaction.atomic():
        supplier_order = _lock(supplier_order_id)
        _move(supplier_order, SupplierOrderState.PROBLEM)
        _append_note(supplier_order, by, note)
        supplier_order.save()
    return supplier_order


@dataclass(frozen=True)
class ReceivedLine:
    supplier_order_line_id: int
    quantity: int
    matches: bool = True
    note: str = ""


def goods_receipt_record(
    *, supplier_order_id: int, by, lines: list[ReceivedLine], note: str = ""
) -> GoodsReceipt:
    """Record what arrived. Units that match what was ordered count as in
    hand for the customer order; a mismatch is recorded, counts for
    nothing, and puts the supplier order in "problem". When every line is
    fully received, the supplier order is "received"."""
    lines = [line for line in lines if line.quantity]
    if not lines:
        raise ProcurementError(_("Enter the quantity received for at least one line."))
    with transaction.atomic():
        supplier_order = _lock(supplier_order_id)
        if supplier_order.state in (SupplierOrderState.RECEIVED, SupplierOrderState.TO_ORDER):
            raise ProcurementError(
                _("Supplier order %(pk)s is “%(state)s”: nothing to receive.")
                % {"pk": supplier_order.pk, "state": SupplierOrderState(supplier_order.state).label}
            )
        ordered = {line.pk: line for line in supplier_order.lines.order_by("pk")}
        receipt = GoodsReceipt.objects.create(
            supplier_order=supplier_order, received_by=by, note=note
        )
        in_hand: defaultdict[int, int] = defaultdict(int)
        mismatch = False
        for received in lines:
            ordered_line = ordered.get(received.supplier_order_line_id)
            if ordered_line is None:
                raise ProcurementError(_("This line is not in the supplier order."))
            if received.quantity < 0:
                raise ProcurementError(_("A quantity received cannot be negative."))
            GoodsReceiptLine.objects.create(
                receipt=receipt,
                supplier_order_line=ordered_line,
                quantity=received.quantity,
                matches=received.matches,
                note=received.note[:255],
            )
            if not received.matches:
                mismatch = True
                continue
            ordered_line.quantity_received += received.quantity
            ordered_line.save(update_fields=["quantity_received"])
            if ordered_line.order_line_id:
                in_hand[ordered_line.order_line_id] += received.quantity
        if in_hand and supplier_order.order_id:
            try:
                order_lines_received(order_id=supplier_order.order_id, quantities=dict(in_hand))
            except OrderError as exc:
                raise ProcurementError(exc.message) from exc
        if all(line.quantity_received >= line.quantity for line in ordered.values()):
            supplier_order.state = SupplierOrderState.RECEIVED
            supplier_order.received_at = timezone.now()
        elif mismatch and supplier_order.state != SupplierOrderState.PROBLEM:
            supplier_order.state = SupplierOrderState.PROBLEM
        _append_note(supplier_order, by, note)
        supplier_order.save()
    return receipt


def supplier_orders_overdue(*, today=None):
    today = today or timezone.localdate()
    return (
        SupplierOrder.objects.filter(state__in=OPEN_STATES, expected_on__lt=today)
        .select_related("supplier", "order")
        .order_by("expected_on", "pk")
    )


def digest_recipients() -> list[str]:
    if settings.COMPTOIR_PROCUREMENT_DIGEST_TO:
        return list(settings.COMPTOIR_PROCUREMENT_DIGEST_TO)
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return list(users.order_by("pk").values_list("email", flat=True))


def supplier_orders_digest(*, today=None) -> int:
    """Beat job (daily): staff get the list of late supplier orders to
    chase. One email per recipient and day: running it twice sends nothing
    more. Returns the number of late orders."""
    today = today or timezone.localdate()
    late = list(supplier_orders_overdue(today=today))
    if not late:
        return 0
    with transaction.atomic():
        for recipient in digest_recipients():
            emails.email_queue(
                key=f"digest:{today.isoformat()}:{recipient}",
                to=recipient,
                subject=gettext_lazy("%(count)d late supplier order(s) to chase"),
                params={"count": len(late)},
                template="supplier_digest",
                context={"late": late, "today": today},
                language=settings.LANGUAGE_CODE,
            )
    return len(late)

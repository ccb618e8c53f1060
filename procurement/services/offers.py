"""Staff pick one supplier offer per request line."""

from django.db import transaction
from django.utils.translation import gettext as _

from procurement.exceptions import ProcurementError
from procurement.models import QuoteRequestLine, RequestState, SupplierOffer

from . import pricing
from .requests import lock_request

PRICING_STATES = (RequestState.SUBMITTED, RequestState.RESEARCHING)


def _check_open(qr) -> None:
    if qr.state not in PRICING_STATES:
        raise ProcurementError(
            _("Request %(number)s is “%(state)s”: its offers can no longer change.")
            % {"number": qr.number, "state": qr.state_label}
        )


def offer_choose(*, offer_id: int, by) -> SupplierOffer:
    offer = SupplierOffer.objects.select_related("line").get(pk=offer_id)
    with transaction.atomic():
        _check_open(lock_request(offer.line.request_id))
        QuoteRequestLine.objects.filter(pk=offer.line_id).update(chosen_offer=offer)
    return offer


def offers_choose_best(*, request_id: int, by) -> int:
    """Choose the highlighted offer on every line that has none chosen;
    returns how many lines got one."""
    with transaction.atomic():
        qr = lock_request(request_id)
        _check_open(qr)
        chosen = 0
        for line in qr.lines.filter(chosen_offer=None).prefetch_related("offers"):
            best = pricing.best_offer(line)
            if best is not None:
                line.chosen_offer = best
                line.save(update_fields=["chosen_offer"])
                chosen += 1
    return chosen


def offer_record(
    *,
    line_id: int,
    supplier_id: int,
    unit_cost,
    lead_time_days: int,
    by,
    supplier_reference: str = "",
    shipping_cost=None,
    quantity_available: int | None = None,
    valid_until=None,
    note: str = "",
) -> SupplierOffer:
    """Record what a supplier offered for a line (read from their email in
    the request's supplier thread), while the request is still being priced."""
    line = QuoteRequestLine.objects.get(pk=line_id)
    with transaction.atomic():
        _check_open(lock_request(line.request_id))
        return SupplierOffer.objects.create(
            line=line,
            supplier_id=supplier_id,
            supplier_reference=supplier_reference,
            unit_cost=unit_cost,
            lead_time_days=lead_time_days,
            shipping_cost=shipping_cost if shipping_cost is not None else 0,
            quantity_available=quantity_available,
            valid_until=valid_until,
            note=note,
            created_by=by,
        )

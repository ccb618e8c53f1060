"""Choosing among supplier offers and pricing a quote.

- Landed cost of an offer: unit cost in euros × quantity + its shipping.
- Best offer: among offers still valid, the lowest landed cost of those
  that meet the wished date (and have the quantity); when none does, the
  fastest (then the cheapest).
- Resale price: cost × (1 + margin), the margin typed on the line or the
  category's from COMPTOIR_PROCUREMENT_MARGINS.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from core.money import line_net, to_cents, vat_of
from shop.partner.vat import standard_rate

if TYPE_CHECKING:
    from procurement.models import QuoteRequestLine, SupplierOffer


def unit_cost_eur(offer) -> Decimal:
    return Decimal(offer.unit_cost) * Decimal(offer.exchange_rate)


def landed_cost(offer, quantity: int) -> Decimal:
    return to_cents(unit_cost_eur(offer) * quantity + Decimal(offer.shipping_cost))


def arrives_by(offer, today: date) -> date:
    return today + timedelta(days=offer.lead_time_days)


def offer_is_valid(offer, today: date) -> bool:
    return offer.valid_until is None or offer.valid_until >= today


def offer_meets(offer, line, today: date) -> bool:
    """Valid, has the quantity, and arrives by the wished date (if any)."""
    return (
        offer_is_valid(offer, today)
        and (offer.quantity_available is None or offer.quantity_available >= line.quantity)
        and (line.wished_date is None or arrives_by(offer, today) <= line.wished_date)
    )


def best_offer(line, offers=None, *, today: date | None = None):
    """The offer to highlight for a request line, or None."""
    today = today or timezone.localdate()
    offers = list(offers if offers is not None else line.offers.all())
    valid = [o for o in offers if offer_is_valid(o, today)]
    meeting = [o for o in valid if offer_meets(o, line, today)]
    if meeting:
        return min(meeting, key=lambda o: (landed_cost(o, line.quantity), o.lead_time_days, o.pk))
    if valid:
        return min(valid, key=lambda o: (o.lead_time_days, landed_cost(o, line.quantity), o.pk))
    return None


def margin_for(line) -> Decimal:
    if line.margin is not None:
        return Decimal(line.margin)
    margins = settings.COMPTOIR_PROCUREMENT_MARGINS
    return Decimal(str(margins.get(line.category) or margins["default"]))


def resale_unit_price(offer, margin: Decimal) -> Decimal:
    return to_cents(unit_cost_eur(offer) * (1 + margin))


def vat_rate() -> Decimal:
    """Sourced goods and the quote's fees are at the standard rate."""
    return standard_rate()


@dataclass(frozen=True)
class PricedLine:
    line: "QuoteRequestLine"
    offer: "SupplierOffer"
    margin: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return line_net(self.unit_price, self.line.quantity)


@dataclass(frozen=True)
class Totals:
    lines: Decimal
    shipping: Decimal
    handling_fee: Decimal
    research_fee: Decimal
    vat_rate: Decimal

    @property
    def excl_tax(self) -> Decimal:
        return self.lines + self.shipping + self.handling_fee + self.research_fee

    @property
    def tax(self) -> Decimal:
        """One rate: the VAT of the nets, rounded once (core.money)."""
        return vat_of(self.excl_tax, self.vat_rate)

    @property
    def incl_tax(self) -> Decimal:
        return self.excl_tax + self.tax


def price_lines(lines) -> list[PricedLine]:
    """Lines with their chosen offer, priced (lines without one are left out)."""
    priced = []
    for line in lines:
        if line.chosen_offer is None:
            continue
        margin = margin_for(line)
        priced.append(
            PricedLine(
                line, line.chosen_offer, margin, resale_unit_price(line.chosen_offer, margin)
            )
        )
    return priced


def default_shipping(priced: list[PricedLine]) -> Decimal:
    """What the chosen offers cost us to have delivered."""
    return to_cents(sum((Decimal(p.offer.shipping_cost) for p in priced), Decimal("0")))


def quote_totals(priced, *, shipping=None, handling_fee=None, research_fee=None) -> Totals:
    return Totals(
        lines=sum((p.total for p in priced), Decimal("0.00")),
        shipping=to_cents(default_shipping(priced) if shipping is None else shipping),
        handling_fee=to_cents(
            settings.COMPTOIR_PROCUREMENT_HANDLING_FEE if handling_fee is None else handling_fee
        ),
        research_fee=to_cents(research_fee or 0),
        vat_rate=vat_rate(),
    )

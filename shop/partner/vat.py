"""The VAT rate of a line and how a total incl. VAT splits into base and VAT.

One source for the checkout summary, the confirmation email and the
invoice: the rate comes from the product class (see strategy.vat_rate_for),
never from rounded prices (0,50 € TTC / 0,42 € HT reads as "19 %"). Lines
without a product (quote fees, shipping) are snapped to a French rate.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
FRENCH_RATES = (Decimal("0.20"), Decimal("0.10"), Decimal("0.055"), Decimal("0.021"), Decimal(0))


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def known_rates() -> list[Decimal]:
    rates = {Decimal(settings.COMPTOIR_VAT_STANDARD_RATE), *FRENCH_RATES}
    rates |= {Decimal(rate) for rate in settings.COMPTOIR_VAT_RATES.values()}
    return sorted(rates)


def snap_rate(excl, incl) -> Decimal:
    """The known French rate nearest to what the prices say (for amounts
    with no product: shipping, fees)."""
    if not excl:
        return Decimal(settings.COMPTOIR_VAT_STANDARD_RATE)
    ratio = (Decimal(incl) - Decimal(excl)) / Decimal(excl)
    return min(known_rates(), key=lambda rate: abs(rate - ratio))


def line_vat_rate(product, excl, incl) -> Decimal:
    """The VAT rate of a basket or order line."""
    if product is not None:
        from .strategy import vat_rate_for

        return vat_rate_for(product)
    return snap_rate(excl, incl)


def split_incl(total_incl, rate) -> tuple[Decimal, Decimal]:
    """(base excl. VAT, VAT) of an amount incl. VAT at ``rate``, with
    base + VAT == total_incl (what the customer pays) and, whenever a cent
    allows it, VAT == round(base × rate) (EN 16931 BR-CO-17 / BR-S-09).

    Some totals have no such split (at 20 %, 0,06 € is 0,05 + 0,01 or
    0,04 + 0,01, never base × 1,2): we keep TTC == what was paid and accept
    VAT = TTC − base one cent off base × rate. The price paid is the legal
    fact, BR-CO-15 (grand total = base + VAT) stays exact, and the CEN
    schematron's BR-CO-17 is read as tolerating that cent (not checked
    offline: no Saxon here)."""
    total_incl = money(total_incl)
    rate = Decimal(rate)
    base = money(total_incl / (1 + rate))
    for candidate in (base, base - CENT, base + CENT):
        if candidate + money(candidate * rate) == total_incl:
            return candidate, total_incl - candidate
    return base, total_incl - base


def vat_by_rate(items) -> list[dict]:
    """VAT by rate from (rate, amount incl. VAT) pairs, highest rate first:
    base and VAT of each rate split from its total incl. VAT."""
    totals: dict[Decimal, Decimal] = {}
    for rate, incl in items:
        rate = Decimal(rate)
        totals[rate] = totals.get(rate, Decimal(0)) + Decimal(incl)
    rows = []
    for rate in sorted(totals, reverse=True):
        base, vat = split_incl(totals[rate], rate)
        rows.append({"rate": rate, "base": base, "vat": vat, "incl": money(totals[rate])})
    return rows

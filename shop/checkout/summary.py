"""Figures the review, the thank-you page and the email show."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def vat_breakdown(amounts) -> list[dict]:
    """VAT by rate from (excl. VAT, incl. VAT) pairs: each rate with its
    base and its VAT, highest rate first. The rate is read from the amounts
    (20 %, 5.5 %...), so basket lines, order lines and shipping all fit."""
    bases, taxes = defaultdict(Decimal), defaultdict(Decimal)
    for excl, incl in amounts:
        if not excl:
            continue
        rate = ((incl - excl) / excl * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        bases[rate] += excl
        taxes[rate] += incl - excl
    return [
        {
            "rate": rate.normalize(),
            "base": bases[rate].quantize(CENT),
            "vat": taxes[rate].quantize(CENT),
        }
        for rate in sorted(bases, reverse=True)
    ]


def basket_vat(basket, shipping_charge) -> list[dict]:
    pairs = [
        (line.line_price_excl_tax_incl_discounts, line.line_price_incl_tax_incl_discounts)
        for line in basket.all_lines()
    ]
    if shipping_charge is not None:
        pairs.append((shipping_charge.excl_tax, shipping_charge.incl_tax))
    return vat_breakdown(pairs)


def order_vat(order, lines) -> list[dict]:
    pairs = [(line.line_price_excl_tax, line.line_price_incl_tax) for line in lines]
    pairs.append((order.shipping_excl_tax, order.shipping_incl_tax))
    return vat_breakdown(pairs)

"""The basket's and the checkout's totals, from core.money.

Oscar sums each line's price incl. VAT; Comptoir's totals are the nets
(unit net × quantity, discounts deducted) with the VAT of each rate rounded
once, so the basket, the review, the order, its emails and its invoice agree
to the cent. Each basket line's rate is its product's (product class); the
delivery is a net at the standard rate (shop.shipping.pricing).
"""

from decimal import Decimal

from oscar.apps.checkout import calculators
from oscar.core import prices

from core.money import Totals, to_cents, totals
from shop.partner.vat import line_vat_rate, vat_rate_for


def basket_items(basket) -> list[tuple[Decimal, Decimal]]:
    """(VAT rate, line net) of each basket line."""
    return [
        (vat_rate_for(line.product), to_cents(line.line_price_excl_tax_incl_discounts))
        for line in basket.all_lines()
        if line.line_price_excl_tax_incl_discounts is not None
    ]


def charge_item(price) -> tuple[Decimal, Decimal] | None:
    """(VAT rate, net) of a delivery charge or surcharge, None when free."""
    if price is None or not price.excl_tax:
        return None
    rate = line_vat_rate(code=price.tax_code, excl=price.excl_tax, incl=price.incl_tax)
    return rate, to_cents(price.excl_tax)


def basket_totals(basket, shipping_charge=None, surcharges=None) -> Totals:
    """The basket's totals, with the delivery and surcharges when known."""
    items = basket_items(basket)
    charges = [shipping_charge, *(s.price for s in (surcharges or []))]
    items += [item for item in map(charge_item, charges) if item is not None]
    return totals(items)


class OrderTotal(prices.Price):
    """Oscar's order total (excl., incl. VAT), carrying the core.money
    totals it comes from (``totals.rows``: the VAT table)."""

    def __init__(self, currency: str, totals: Totals):
        super().__init__(currency=currency, excl_tax=totals.net, incl_tax=totals.gross)
        self.totals = totals


class OrderTotalCalculator(calculators.OrderTotalCalculator):
    def calculate(self, basket, shipping_charge, surcharges=None, **kwargs):
        return OrderTotal(basket.currency, basket_totals(basket, shipping_charge, surcharges))

"""The basket's and the checkout's totals, from core.money.

Oscar sums each line's price incl. VAT; Comptoir's totals are the nets
(unit net × quantity, discounts deducted) with the VAT of each rate rounded
once, so the basket, the review, the order, its emails and its invoice agree
to the cent. Each basket line's rate is its product's (product class); the
delivery is a net at the standard rate (shop.shipping.pricing).
"""

from oscar.apps.checkout import calculators
from oscar.core import prices

from core.money import Totals
from shop.partner.totals import basket_totals


class OrderTotal(prices.Price):
    """Oscar's order total (excl., incl. VAT), carrying the core.money
    totals it comes from (``totals.rows``: the VAT table)."""

    def __init__(self, currency: str, totals: Totals):
        super().__init__(currency=currency, excl_tax=totals.net, incl_tax=totals.gross)
        self.totals = totals


class OrderTotalCalculator(calculators.OrderTotalCalculator):
    def calculate(self, basket, shipping_charge, surcharges=None, **kwargs):
        return OrderTotal(basket.currency, basket_totals(basket, shipping_charge, surcharges))

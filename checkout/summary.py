"""The totals the review, the thank-you page and the confirmation email
show: core.money's, of the basket (checkout.calculators) or of the order
(orders.amounts), so they are the order's and the invoice's to the cent."""

from core.money import ZERO
from orders.amounts import figures, order_figures
from shop.partner.totals import basket_totals

__all__ = ["basket_figures", "order_figures"]


def basket_figures(basket, shipping_charge, order_total=None) -> dict:
    """The review's totals (``order_total``: the calculator's, when known)."""
    totals = getattr(order_total, "totals", None) or basket_totals(basket, shipping_charge)
    if shipping_charge is None:
        return figures(totals, ZERO, ZERO)
    return figures(totals, shipping_charge.excl_tax, shipping_charge.incl_tax)

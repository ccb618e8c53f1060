"""The totals the review, the thank-you page and the confirmation email
show: core.money's, of the basket (checkout.calculators) or of the order
(orders.amounts), so they are the order's and the invoice's to the cent."""

from core.money import ZERO, Totals, to_cents
from orders.amounts import order_totals

from .calculators import basket_totals


def _figures(totals: Totals, shipping_net, shipping_gross) -> dict:
    """The totals, and the delivery's net in them (its price incl. VAT, as
    advertised, is shown beside it)."""
    shipping_net = to_cents(shipping_net or ZERO)
    return {
        "totals": totals,
        "shipping_net": shipping_net,
        "shipping_gross": to_cents(shipping_gross or ZERO),
        "items_net": totals.net - shipping_net,
    }


def basket_figures(basket, shipping_charge, order_total=None) -> dict:
    """The review's totals (``order_total``: the calculator's, when known)."""
    totals = getattr(order_total, "totals", None) or basket_totals(basket, shipping_charge)
    if shipping_charge is None:
        return _figures(totals, ZERO, ZERO)
    return _figures(totals, shipping_charge.excl_tax, shipping_charge.incl_tax)


def order_figures(order, lines) -> dict:
    """The placed order's totals, from its lines."""
    return _figures(order_totals(order, lines), order.shipping_excl_tax, order.shipping_incl_tax)

"""The order's totals for its pages (customer and admin), and every line's
price incl. VAT (basket and order lines): orders.amounts."""

from django import template

from orders.amounts import line_gross as line_gross_of
from orders.amounts import order_figures

register = template.Library()


@register.simple_tag
def order_totals_of(order) -> dict:
    """{% order_totals_of order as figures %}: figures.totals (net, vat,
    gross, rows), figures.items_net, figures.shipping_net."""
    return order_figures(order)


@register.filter
def line_gross(line):
    """{{ line|line_gross }}: a basket or order line's price incl. VAT,
    display only (orders.amounts.line_gross)."""
    return line_gross_of(line)

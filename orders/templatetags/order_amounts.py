"""The order's totals for its pages (customer and admin): orders.amounts."""

from django import template

from orders.amounts import order_figures

register = template.Library()


@register.simple_tag
def order_totals_of(order) -> dict:
    """{% order_totals_of order as figures %}: figures.totals (net, vat,
    gross, rows), figures.items_net, figures.shipping_net."""
    return order_figures(order)

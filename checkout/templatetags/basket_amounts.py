"""The basket's totals for templates: core.money's (checkout.calculators)."""

from django import template

from shop.partner.totals import basket_totals

register = template.Library()


@register.simple_tag
def basket_totals_of(basket):
    """{% basket_totals_of basket as totals %}: the items' totals (net, vat,
    gross, rows), without the delivery."""
    return basket_totals(basket)

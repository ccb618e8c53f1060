"""A basket's totals from core.money: (VAT rate, net) of each line and
charge, the VAT of each rate rounded once. The checkout's order total
(checkout.calculators), the delivery's "free from" (shop.shipping) and the
basket's pages read them.
"""

from decimal import Decimal

from core.money import Totals, to_cents, totals

from .vat import line_vat_rate, vat_rate_for


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

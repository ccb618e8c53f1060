"""An order's amounts, read from its lines through core.money.

Each line is a (VAT rate, net) item: the line's net as agreed (unit net ×
quantity, discounts deducted) at the rate recorded with it; the delivery
and any surcharge are items too. ``order_totals`` is the VAT table and the
totals every page, email and document shows; the order's stored
``total_excl_tax`` / ``total_incl_tax`` are written from it (what the
customer is charged) wherever an order is made or changed.
"""

from decimal import Decimal

from core.money import ZERO, Totals, display_gross, to_cents, totals
from shop.partner.vat import line_vat_rate, vat_rate_for


def order_line_rate(line) -> Decimal:
    """The VAT rate of an order line: recorded when placed, else read back
    from its product's class (a line placed before rates were recorded)."""
    if line.tax_code:
        return line_vat_rate(code=line.tax_code)
    return line_vat_rate(
        product=line.product if line.product_id else None,
        excl=line.line_price_excl_tax,
        incl=line.line_price_incl_tax,
    )


def line_gross(line) -> Decimal:
    """A basket or order line's price incl. VAT, for display only:
    ``display_gross(line net, rate)``, the one figure the basket, the
    review, the thank-you page, the emails, the order pages and the admin
    print (never the rounded unit price incl. VAT × quantity)."""
    if hasattr(line, "basket_id"):
        net = line.line_price_excl_tax_incl_discounts
        return display_gross(to_cents(net or ZERO), vat_rate_for(line.product))
    return display_gross(to_cents(line.line_price_excl_tax), order_line_rate(line))


def shipping_rate(order) -> Decimal:
    return line_vat_rate(
        code=order.shipping_tax_code, excl=order.shipping_excl_tax, incl=order.shipping_incl_tax
    )


def surcharge_rate(charge) -> Decimal:
    return line_vat_rate(code=charge.tax_code, excl=charge.excl_tax, incl=charge.incl_tax)


def order_items(order, lines=None) -> list[tuple[Decimal, Decimal]]:
    """(VAT rate, net) of the order's lines, its delivery and surcharges."""
    lines = list(order.lines.all()) if lines is None else lines
    items = [(order_line_rate(line), to_cents(line.line_price_excl_tax)) for line in lines]
    if order.shipping_excl_tax:
        items.append((shipping_rate(order), to_cents(order.shipping_excl_tax)))
    if order.pk:
        for charge in order.surcharges.all():
            if charge.excl_tax:
                rate = line_vat_rate(
                    code=charge.tax_code, excl=charge.excl_tax, incl=charge.incl_tax
                )
                items.append((rate, to_cents(charge.excl_tax)))
    return items


def order_totals(order, lines=None) -> Totals:
    """The order's VAT table and totals (``lines``: the order's lines when
    the caller has them already)."""
    return totals(order_items(order, lines))


def order_totals_store(order, lines=None) -> Totals:
    """Write the order's totals (what it is charged) from its lines."""
    result = order_totals(order, lines)
    order.total_excl_tax, order.total_incl_tax = result.net, result.gross
    order.save(update_fields=["total_excl_tax", "total_incl_tax"])
    return result


def figures(totals: Totals, shipping_net, shipping_gross) -> dict:
    """What a page or email prints of totals: the items' and the delivery's
    nets (adding up to the total excl. VAT), the delivery's price incl. VAT
    as advertised, and the totals with their VAT table (``totals.rows``)."""
    shipping_net = to_cents(shipping_net or ZERO)
    return {
        "totals": totals,
        "shipping_net": shipping_net,
        "shipping_gross": to_cents(shipping_gross or ZERO),
        "items_net": totals.net - shipping_net,
    }


def order_figures(order, lines=None) -> dict:
    """The order's totals as the thank-you page, the email, the order page
    and the admin print them."""
    return figures(order_totals(order, lines), order.shipping_excl_tax, order.shipping_incl_tax)

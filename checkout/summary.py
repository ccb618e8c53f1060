"""Figures the review, the thank-you page and the email show."""

from oscar.core.loading import get_model

from shop.partner.vat import line_vat_rate, snap_rate, vat_by_rate

Product = get_model("catalogue", "Product")


def vat_breakdown(items) -> list[dict]:
    """VAT by rate from (rate, amount incl. VAT) pairs, highest rate first,
    split as the invoice splits them (shop.partner.vat): the rate is the
    product class's, never read from rounded prices."""
    return [
        {"rate": (row["rate"] * 100).normalize(), "base": row["base"], "vat": row["vat"]}
        for row in vat_by_rate(items)
        if row["incl"]
    ]


def basket_vat(basket, shipping_charge) -> list[dict]:
    items = []
    for line in basket.all_lines():
        excl = line.line_price_excl_tax_incl_discounts
        incl = line.line_price_incl_tax_incl_discounts
        items.append((line_vat_rate(line.product, excl, incl), incl))
    if shipping_charge is not None:
        excl, incl = shipping_charge.excl_tax, shipping_charge.incl_tax
        items.append((snap_rate(excl, incl), incl))
    return vat_breakdown(items)


def order_vat(order, lines) -> list[dict]:
    # The lines' products and classes in one query (the email is in the
    # placing's query budget).
    products = Product.objects.filter(
        pk__in=[line.product_id for line in lines if line.product_id]
    ).select_related("product_class", "parent__product_class")
    by_pk = {product.pk: product for product in products}
    items = [
        (
            line_vat_rate(
                by_pk.get(line.product_id), line.line_price_excl_tax, line.line_price_incl_tax
            ),
            line.line_price_incl_tax,
        )
        for line in lines
    ]
    items.append(
        (snap_rate(order.shipping_excl_tax, order.shipping_incl_tax), order.shipping_incl_tax)
    )
    return vat_breakdown(items)

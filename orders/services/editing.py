"""The customer changes an unpaid order from their account (DESIGN.md):
quantities, removed lines, added products. The order goes back to new, its
stock is released, and the reservation runs again, all in one transaction:
the customer gets one email saying where the order stands now."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class, get_model

from core.money import line_net
from orders.amounts import line_gross, order_totals_store
from orders.exceptions import OrderError
from orders.selectors import EDIT, order_customer_refusal
from orders.statuses import OrderStatus

from .transitions import CUSTOMER, SYSTEM, lock_order, reopen_locked, reserve_locked

Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")
logger = logging.getLogger(__name__)
MAX_QUANTITY = 9999


def order_edit(
    *,
    order_id: int,
    by=None,
    quantities: dict[int, int] | None = None,
    additions: list[tuple[int, int]] | None = None,
    source: str = CUSTOMER,
):
    """Set line quantities (0 removes the line) and add (product id,
    quantity) pairs. Refused once the order is paid or being prepared."""
    quantities, additions = quantities or {}, additions or []
    with transaction.atomic():
        order = lock_order(order_id)
        refusal = order_customer_refusal(order, EDIT)
        if refusal is not None:
            raise OrderError(refusal)
        lines = {line.pk: line for line in order.lines.all()}
        _validate(order, lines, quantities, additions)
        if order.status == OrderStatus.RESERVED:  # a new order holds nothing yet
            reopen_locked(
                order, by=by, source=source, note=gettext_lazy("Changed by the customer.")
            )
        for line_id, quantity in quantities.items():
            _set_quantity(lines[line_id], quantity)
        _add_products(order, additions)
        _update_totals(order)
        _reserve_again(order)
    return order


def _reserve_again(order) -> None:
    """Hold stock for the order as changed, in the edit's transaction. Should
    that fail, the edit is kept in "new" and the catch-up job
    (jobs.orders_reserve_waiting) reserves it."""
    try:
        with transaction.atomic():
            reserve_locked(order, source=SYSTEM)
    except Exception:
        logger.exception("Order %s changed but not reserved yet", order.number)


def _validate(order, lines, quantities, additions):
    for line_id, quantity in quantities.items():
        if line_id not in lines:
            raise OrderError(_("This line is not part of the order."))
        if not 0 <= quantity <= MAX_QUANTITY:
            raise OrderError(_("Quantities go from 0 to %(max)d.") % {"max": MAX_QUANTITY})
    for _product_id, quantity in additions:
        if not 1 <= quantity <= MAX_QUANTITY:
            raise OrderError(_("Quantities go from 1 to %(max)d.") % {"max": MAX_QUANTITY})
    kept = sum(1 for pk in lines if quantities.get(pk, lines[pk].quantity) > 0)
    if kept + len(additions) == 0:
        raise OrderError(_("An order needs at least one line: cancel it instead."))


def _prices(line, quantity) -> dict:
    """The line's amounts at ``quantity``: its net (unit net × quantity) and
    the price incl. VAT shown for it, display_gross(line net, rate), never
    the rounded unit price incl. VAT × quantity."""
    line.quantity = quantity
    line.line_price_excl_tax = line_net(line.unit_price_excl_tax, quantity)
    gross = line_gross(line)
    return {
        "line_price_incl_tax": gross,
        "line_price_excl_tax": line.line_price_excl_tax,
        "line_price_before_discounts_incl_tax": gross,
        "line_price_before_discounts_excl_tax": line.line_price_excl_tax,
    }


def _set_quantity(line, quantity):
    if quantity == 0:
        line.delete()
        return
    changes = {
        "quantity": quantity,
        **_prices(line, quantity),
    }
    for field, value in changes.items():
        setattr(line, field, value)
    # Only these: the units held were released meanwhile on other instances.
    line.save(update_fields=list(changes))


def _add_products(order, additions):
    strategy = Selector().strategy()
    products = Product.objects.filter(pk__in=[pk for pk, _q in additions], is_public=True).in_bulk()
    for product_id, quantity in additions:
        product = products.get(product_id)
        info = strategy.fetch_for_product(product) if product else None
        if info is None or not info.price.exists or product.is_parent:
            raise OrderError(_("This product cannot be ordered."))
        existing = order.lines.filter(stockrecord=info.stockrecord).first()
        if existing:
            if existing.quantity + quantity > MAX_QUANTITY:
                raise OrderError(_("Quantities go from 1 to %(max)d.") % {"max": MAX_QUANTITY})
            _set_quantity(existing, existing.quantity + quantity)
            continue
        line = Line(
            order=order,
            partner=info.stockrecord.partner,
            partner_name=info.stockrecord.partner.name,
            partner_sku=info.stockrecord.partner_sku,
            stockrecord=info.stockrecord,
            product=product,
            title=product.get_title(),
            upc=product.upc,
            quantity=quantity,
            unit_price_incl_tax=info.price.incl_tax,
            unit_price_excl_tax=info.price.excl_tax,
            tax_code=info.price.tax_code,
            num_allocated=0,
            seen_num_available=info.availability.num_available,
        )
        for field, value in _prices(line, quantity).items():
            setattr(line, field, value)
        line.save()


def _update_totals(order):
    order_totals_store(order)

"""Placing an order that does not come from a basket: an accepted quote.

Its lines are priced by the quote, carry no catalogue product (no
throw-away products are made) and are awaited from suppliers
(``Line.num_awaited``), so the order cannot go to picking before goods
receipt says they are in (``orders.services.receiving``). The order then
follows the state machine like any other: it is reserved at once; one on
an institution's purchase order (mandate) goes on by itself, any other
waits for the customer's confirmation or its payment.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.money import display_gross, line_net, to_cents, totals, vat_of
from orders.amounts import order_totals_store
from orders.exceptions import OrderError
from orders.models import FEE_REFERENCE_PREFIX
from orders.statuses import OrderStatus
from shop.customer.selectors import customer_profile
from shop.partner.vat import rate_code

from . import transitions

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
Country = get_model("address", "Country")
ADDRESS_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "country_id",
)


def fee_reference(quote_number: str) -> str:
    return f"{FEE_REFERENCE_PREFIX}{quote_number}"


@dataclass(frozen=True)
class QuotedLine:
    title: str
    reference: str
    quantity: int
    unit_price_excl_tax: Decimal
    vat_rate: Decimal
    # Goods bought for the customer are awaited; a fee is not.
    awaited: bool = True
    lead_time_days: int | None = None
    # The caller's own key for the line (procurement: "quote-line:<id>").
    line_reference: str = ""


@dataclass(frozen=True)
class QuoteDelivery:
    """Where an accepted quote's goods go: an address (the fields of an
    order address: first_name, last_name, line1, line2, line4 (city),
    postcode, country_id), or a pickup (the checkout's pickup code and
    name, e.g. "pickup-shop")."""

    address: dict | None = None
    pickup_code: str = ""
    pickup_name: str = ""


def order_place_from_quote(
    *,
    user,
    email: str,
    lines: list[QuotedLine],
    shipping_excl_tax: Decimal,
    shipping_vat_rate: Decimal,
    legal_entity=None,
    payment_method: str,
    purchase_order_number: str = "",
    language: str = "",
    source: str = transitions.CUSTOMER,
    note: str = "",
    delivery: QuoteDelivery | None = None,
):
    """Create the order at the quoted prices and reserve it; returns it.
    ``delivery`` says where the goods go (none: the account's default
    delivery address, else the entity's).
    Runs inside the caller's transaction (accepting the quote) when there
    is one, so that a refused move leaves neither a quote accepted nor an
    order behind."""
    if not lines:
        raise OrderError("An order needs at least one line.")  # programming error
    with transaction.atomic():
        order = _create_order(
            number=_next_number(user),
            user=user,
            email=email,
            lines=lines,
            shipping_excl_tax=to_cents(shipping_excl_tax),
            shipping_vat_rate=shipping_vat_rate,
            legal_entity=legal_entity,
            payment_method=payment_method,
            purchase_order_number=purchase_order_number,
            language=language or settings.LANGUAGE_CODE,
            delivery=delivery or QuoteDelivery(),
        )
        transitions.reserve_locked(
            transitions.lock_order(order.pk), by=user, source=source, note=note
        )
    order.refresh_from_db()
    return order


def _next_number(user) -> str:
    """The order's own number in checkout's sequence (Oscar numbers an
    order from its basket): an empty basket, submitted at once, stands for
    the quote, so the number is never a checkout's nor the quote's."""
    basket = Basket.objects.create(owner=user, status=Basket.SUBMITTED)
    return OrderNumberGenerator().order_number(basket)


def _create_order(
    *, user, email, lines, shipping_excl_tax, shipping_vat_rate, delivery: QuoteDelivery, **fields
):
    """The order and its lines at the quoted unit prices excl. VAT, each
    with its VAT rate; its totals from core.money (prices incl. VAT on the
    lines are for display)."""
    profile = customer_profile(user)
    entity = fields["legal_entity"]
    # Totals before the lines exist (the row needs them); written again from
    # the lines below, by the one function that does it.
    estimate = totals(
        [(shipping_vat_rate, shipping_excl_tax)]
        + [(line.vat_rate, line_net(line.unit_price_excl_tax, line.quantity)) for line in lines]
    )
    order = Order.objects.create(
        status=OrderStatus.NEW,
        user=user,
        guest_email="" if user else email,
        currency="EUR",
        total_excl_tax=estimate.net,
        total_incl_tax=estimate.gross,
        shipping_excl_tax=shipping_excl_tax,
        shipping_incl_tax=shipping_excl_tax + vat_of(shipping_excl_tax, shipping_vat_rate),
        shipping_tax_code=rate_code(shipping_vat_rate),
        shipping_method=delivery.pickup_name or "Livraison sur devis",
        shipping_code=delivery.pickup_code or "quote",
        date_placed=timezone.now(),
        notify_phone=profile.sms_number if profile else "",
        sms_opt_in=bool(profile and profile.sms_number),
        shipping_address=_shipping_address(user, entity, delivery),
        billing_address=_address(BillingAddress, None, entity),
        **fields,
    )
    order_lines = Line.objects.bulk_create(_line(order, line) for line in lines)
    order_totals_store(order, order_lines)
    return order


def _shipping_address(user, entity, delivery: QuoteDelivery):
    if delivery.pickup_code:
        return None
    if delivery.address:
        return ShippingAddress.objects.create(**delivery.address)
    return _address(ShippingAddress, user, entity)


def _line(order, line: QuotedLine):
    net = line_net(line.unit_price_excl_tax, line.quantity)
    return Line(
        order=order,
        partner_name=settings.COMPTOIR_LEGAL["name"],
        partner_sku=line.reference[:128] or "-",
        partner_line_reference=line.line_reference[:128],
        title=line.title[:255],
        quantity=line.quantity,
        unit_price_excl_tax=to_cents(line.unit_price_excl_tax),
        unit_price_incl_tax=display_gross(line.unit_price_excl_tax, line.vat_rate),
        line_price_excl_tax=net,
        line_price_incl_tax=display_gross(net, line.vat_rate),
        line_price_before_discounts_excl_tax=net,
        line_price_before_discounts_incl_tax=display_gross(net, line.vat_rate),
        tax_code=rate_code(line.vat_rate),
        num_allocated=0,
        num_awaited=line.quantity if line.awaited else 0,
        lead_time_days=line.lead_time_days,
    )


def _address(model, user, entity):
    """The delivery (the account's default delivery address, else the
    entity's) or billing address (the entity's); none for a guest without."""
    if user is not None:
        default = user.addresses.filter(is_default_for_shipping=True).first()
        if default is not None:
            return model.objects.create(
                **{field: getattr(default, field) for field in ADDRESS_FIELDS}
            )
    if entity is None:
        return None
    country = Country.objects.filter(iso_3166_1_a2=entity.country).first()
    if country is None:
        return None
    return model.objects.create(
        last_name=entity.name[:255],
        line1=entity.line1,
        line2=entity.line2,
        line4=entity.city,
        postcode=entity.postcode,
        country=country,
    )


def order_place_replacement(*, original_id: int, quantities: dict[int, int], by=None, note=""):
    """A replacement at no charge for units of an order (a return exchanged,
    a damaged or missing delivery accepted): the same customer, addresses
    and delivery method, the same products at 0, nothing to pay. Reserved
    at once and, staff having decided it, confirmed: it follows the state
    machine like any order (picking once every unit is in hand). Runs in
    the caller's transaction when there is one."""
    if not quantities or any(units < 1 for units in quantities.values()):
        raise OrderError("A replacement needs at least one unit.")  # programming error
    with transaction.atomic():
        original = Order.objects.select_related("shipping_address", "billing_address").get(
            pk=original_id
        )
        lines = list(Line.objects.filter(order=original, pk__in=quantities).order_by("pk"))
        if len(lines) != len(quantities):
            raise OrderError("A replacement copies lines of its own order.")  # programming error
        order = Order.objects.create(
            number=_next_number(original.user),
            status=OrderStatus.NEW,
            user=original.user,
            guest_email=original.guest_email,
            currency=original.currency,
            total_excl_tax=to_cents(0),
            total_incl_tax=to_cents(0),
            shipping_excl_tax=to_cents(0),
            shipping_incl_tax=to_cents(0),
            shipping_tax_code=original.shipping_tax_code,
            shipping_method=original.shipping_method,
            shipping_code=original.shipping_code,
            date_placed=timezone.now(),
            payment_method=original.payment_method,
            paid_at=timezone.now(),  # nothing to pay
            language=original.language,
            legal_entity=original.legal_entity,
            manager=original.manager,
            notify_phone=original.notify_phone,
            sms_opt_in=original.sms_opt_in,
            shipping_address=_copy(original.shipping_address),
            billing_address=_copy(original.billing_address),
        )
        copies = Line.objects.bulk_create(
            Line(
                order=order,
                partner=line.partner,
                partner_name=line.partner_name,
                partner_sku=line.partner_sku,
                partner_line_reference=line.partner_line_reference,
                stockrecord=line.stockrecord,
                product=line.product,
                title=line.title,
                upc=line.upc,
                quantity=quantities[line.pk],
                unit_price_excl_tax=to_cents(0),
                unit_price_incl_tax=to_cents(0),
                line_price_excl_tax=to_cents(0),
                line_price_incl_tax=to_cents(0),
                line_price_before_discounts_excl_tax=to_cents(0),
                line_price_before_discounts_incl_tax=to_cents(0),
                tax_code=line.tax_code,
                num_allocated=0,
                # Goods without a stock record come from a supplier again.
                num_awaited=0 if line.stockrecord_id else quantities[line.pk],
            )
            for line in lines
        )
        order_totals_store(order, copies)
        locked = transitions.lock_order(order.pk)
        transitions.reserve_locked(locked, by=by, source=transitions.STAFF, note=note)
        if locked.status == OrderStatus.RESERVED:
            transitions.confirm_locked(locked, by=by, source=transitions.STAFF, note=note)
    order.refresh_from_db()
    return order


def _copy(address):
    if address is None:
        return None
    address.pk = None
    address.id = None
    address.save()
    return address

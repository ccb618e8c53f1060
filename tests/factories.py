"""Small builders for tests: products with stock, and orders as checkout
leaves them (status new, nothing held yet)."""

import itertools
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.outbox.selectors import messages_about
from orders.amounts import order_totals_store

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
Selector = get_class("partner.strategy", "Selector")

_numbers = itertools.count(1)


def make_product(
    title="Timer NE555",
    *,
    price="1.00",
    stock=10,
    mpn=None,
    track_stock=True,
    lead_time_days=None,
):
    n = next(_numbers)
    product_class, _ = ProductClass.objects.get_or_create(
        slug="composant" if track_stock else "service",
        defaults={"name": "Composant" if track_stock else "Service", "track_stock": track_stock},
    )
    product = Product.objects.create(
        title=title,
        product_class=product_class,
        upc=f"T-{n:05d}",
        mpn=mpn or f"MPN-{n:05d}",
        manufacturer="Test Instruments",
    )
    partner, _ = Partner.objects.get_or_create(name="Comptoir")
    StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=f"SKU-{n:05d}",
        price=Decimal(price),
        num_in_stock=stock,
        lead_time_days=lead_time_days,
    )
    return product


def make_order(
    *, lines, user=None, email="client@example.com", payment_method="card", status="new", **fields
):
    """An order in state new; ``lines`` are (product, quantity) pairs, or
    (product, quantity, seen_num_available)."""
    strategy = Selector().strategy()
    n = next(_numbers)
    order = Order.objects.create(
        number=f"T{n:06d}",
        user=user,
        guest_email="" if user else email,
        currency="EUR",
        total_incl_tax=Decimal("0"),
        total_excl_tax=Decimal("0"),
        shipping_incl_tax=Decimal("0"),
        shipping_excl_tax=Decimal("0"),
        status=status,
        date_placed=timezone.now(),
        payment_method=payment_method,
        **fields,
    )
    for product, quantity, *seen in lines:
        info = strategy.fetch_for_product(product)
        price = info.price
        Line.objects.create(
            order=order,
            partner=info.stockrecord.partner,
            partner_name=info.stockrecord.partner.name,
            partner_sku=info.stockrecord.partner_sku,
            stockrecord=info.stockrecord,
            product=product,
            title=product.title,
            upc=product.upc,
            quantity=quantity,
            line_price_incl_tax=price.incl_tax * quantity,
            line_price_excl_tax=price.excl_tax * quantity,
            line_price_before_discounts_incl_tax=price.incl_tax * quantity,
            line_price_before_discounts_excl_tax=price.excl_tax * quantity,
            unit_price_incl_tax=price.incl_tax,
            unit_price_excl_tax=price.excl_tax,
            tax_code=price.tax_code,
            num_allocated=0,
            seen_num_available=seen[0] if seen else None,
        )
    # What the order is charged: core.money's totals of its lines.
    order_totals_store(order)
    return order


def stock_of(product):
    record = StockRecord.objects.get(product=product)
    return record.num_in_stock, record.num_allocated or 0


def order_moves_messages(order, channel="email"):
    """The outbox's messages telling the customer of the order's moves."""
    return messages_about(order).filter(renderer="order.transition", channel=channel)


def message_move(message):
    """The order move a message tells of."""
    from orders.models import OrderTransition

    return OrderTransition.objects.get(pk=message.payload["transition_id"])


def sent_message(order, channel="email"):
    """Send the order's pending messages and return its latest one on
    ``channel`` (a document's email, also about the order, left aside)."""
    from core.outbox.services import messages_send_due

    messages_send_due()
    messages = messages_about(order).exclude(renderer="billing.document")
    return messages.filter(channel=channel).order_by("pk").last()


def make_institution(user):
    """A verified public institution of ``user``'s account (a university
    with its Chorus Pro service code), as the documents tests bill it."""
    from django.utils import timezone

    from shop.customer.models import LegalEntity

    return LegalEntity.objects.create(
        user=user,
        kind=LegalEntity.Kind.PUBLIC_BODY,
        name="Université Claude Bernard Lyon 1",
        siret="19691774400019",
        vat_number="FR43196917744",
        line1="43 boulevard du 11 Novembre 1918",
        postcode="69622",
        city="Villeurbanne",
        chorus_service_code="SERV-LMI-042",
        invoice_email="factures@univ.example",
        verified_at=timezone.now(),
    )

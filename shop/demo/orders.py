"""Demo orders, placed as the checkout places them (Oscar's OrderCreator
with Comptoir's reservation), then moved and paid through the orders and
payments services: so the account pages and the admin show orders in each
state, payments, and the invoice of a shipped one (issued by documents on
the move to "shipped")."""

from dataclasses import dataclass, field

from django.utils import timezone
from oscar.core.loading import get_class, get_model

from billing.payments.services import record_payment
from orders.services import transitions
from shop.shipping.repository import delivery_methods

from .organisations import entities_of

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")

ADDRESSES = {
    "shopper": ("Camille", "Martin", "8 rue Mercière", "69002", "Lyon"),
    "buyer": ("Julien", "Moreau", "12 rue des Tanneurs", "69007", "Lyon"),
    "lab": ("Sophie", "Bernard", "43 boulevard du 11 Novembre 1918", "69622", "Villeurbanne"),
}


@dataclass(frozen=True)
class DemoOrder:
    number: str
    username: str
    lines: list  # (mpn, quantity)
    payment_method: str
    delivery: str = "standard"
    entity: int | None = None  # index in the account's entities
    po_number: str = ""
    paid: bool = False
    # Moves after placing: "picking", "shipped", "delivered", "cancelled".
    moves: list = field(default_factory=list)


# fmt: off
DEMO_ORDERS = [
    DemoOrder("DEMO-1001", "shopper", [("NE555P", 10), ("BB830", 2), ("AM2302", 1)], "card",
              paid=True, moves=["shipped", "delivered"]),
    DemoOrder("DEMO-1002", "shopper", [("DEV-15123", 1), ("SBC-LCD16X2", 1)], "card"),
    DemoOrder("DEMO-1003", "shopper", [("HC-05", 2)], "transfer", moves=["cancelled"]),
    DemoOrder("DEMO-1004", "buyer", [("LRS-100-24", 4), ("3051 BK005", 2)], "transfer",
              entity=0),
    DemoOrder("DEMO-1005", "buyer", [("WS2812B-60-1M", 5), ("1591CSBK", 10)], "transfer",
              entity=1, delivery="express", paid=True, moves=["shipped"]),
    DemoOrder("DEMO-1006", "lab", [("246782455", 6), ("AM2302", 10), ("VTHH7", 2)], "mandate",
              entity=0, po_number="BC-2026-00417", moves=["picking", "shipped"]),
    # More microcontrollers than in stock: the lab is asked to accept the rest later.
    DemoOrder("DEMO-1007", "lab", [("17HS4401", 3), ("ATMEGA328P-PU", 6)], "mandate", entity=0,
              po_number="BC-2026-00452"),
]
# fmt: on


def countries_load() -> int:
    """France, the country the shop delivers to (the checkout's address
    form offers only shipping countries: with none, nobody can order)."""
    _country, made = Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={
            "iso_3166_1_a3": "FRA",
            "iso_3166_1_numeric": "250",
            "printable_name": "France",
            "name": "République française",
            "is_shipping_country": True,
            "display_order": 1,
        },
    )
    return int(made)


def addresses_load(users: dict) -> int:
    """Each demo customer's address book: one address, the default for
    delivery and billing, so the checkout starts filled in."""
    country = Country.objects.get(iso_3166_1_a2="FR")
    created = 0
    for username in ADDRESSES:
        user = users.get(username)
        if user is None or UserAddress.objects.filter(user=user).exists():
            continue
        address = _address(UserAddress, username, country)
        address.user = user
        address.phone_number = "+33 4 72 00 00 00"
        address.is_default_for_shipping = address.is_default_for_billing = True
        address.save()
        created += 1
    return created


def _address(model, username, country):
    first, last, line1, postcode, city = ADDRESSES[username]
    return model(
        first_name=first,
        last_name=last,
        line1=line1,
        line4=city,
        postcode=postcode,
        country=country,
    )


def _place(demo: DemoOrder, user, country):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    mpns = [mpn for mpn, _qty in demo.lines]
    products = {p.mpn: p for p in Product.objects.filter(mpn__in=mpns, upc__startswith="CPT-")}
    for mpn, quantity in demo.lines:
        basket.add_product(products[mpn], quantity)
    method = next(m for m in delivery_methods() if m.code == demo.delivery)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    entities = entities_of(demo.username)
    entity = entities[demo.entity] if demo.entity is not None else None
    billing = _address(BillingAddress, demo.username, country)
    shipping = _address(ShippingAddress, demo.username, country)
    for address in (billing, shipping):
        address.save()
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=shipping,
        billing_address=billing,
        order_number=demo.number,
        payment_method=demo.payment_method,
        legal_entity=entity,
        purchase_order_number=demo.po_number,
        terms_version="demo",
        terms_accepted_at=timezone.now(),
    )
    basket.submit()
    return order


def _move(order, to: str, staff) -> None:
    if to == "picking":
        transitions.order_start_picking(order_id=order.pk, by=staff)
    elif to == "shipped":
        transitions.order_ship(
            order_id=order.pk, by=staff, carrier="Colissimo", tracking_number="6A12345678901"
        )
    elif to == "delivered":
        transitions.order_deliver(order_id=order.pk, by=staff)
    elif to == "cancelled":
        transitions.order_cancel(order_id=order.pk, by=staff, note="Annulée à la demande.")


def orders_load(users: dict) -> int:
    """Place the demo orders not placed yet; returns how many."""
    country = Country.objects.get(iso_3166_1_a2="FR")
    staff = users["staff"]
    existing = set(
        Order.objects.filter(number__in=[d.number for d in DEMO_ORDERS]).values_list(
            "number", flat=True
        )
    )
    created = 0
    for demo in DEMO_ORDERS:
        if demo.number in existing:
            continue
        order = _place(demo, users[demo.username], country)
        if demo.paid:
            order.refresh_from_db()
            # No provider: a demo card payment has no Stripe intent behind
            # it, so a refund from the admin is recorded by staff.
            record_payment(
                order_id=order.pk,
                amount=order.total_incl_tax,
                method=demo.payment_method,
                reference=demo.number,
                by=staff,
                note="Paiement de démonstration.",
            )
        for to in demo.moves:
            order.refresh_from_db()
            _move(order, to, staff)
        created += 1
    return created

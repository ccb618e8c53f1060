"""What every delivery method answers, stored or built in: Oscar's shipping
method interface (code, name, description, calculate, discount), with prices
entered including VAT.

A delivery is charged as a net at the standard VAT rate (core.money.
net_for_gross), so that it enters the VAT table like a line and its price
incl. VAT is the one advertised."""

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.core import prices
from oscar.core.loading import get_class

from core.money import ZERO, net_for_gross, vat_of
from shop.partner.totals import basket_totals
from shop.partner.vat import rate_code, standard_rate

Scale = get_class("shipping.scales", "Scale")

STANDARD, EXPRESS = "standard", "express"
PICKUP_PREFIX = "pickup-"

BUILTIN_NAMES = {STANDARD: _("Standard parcel"), EXPRESS: _("Express")}
BUILTIN_TIMES = {
    STANDARD: _("Tracked, 2 to 3 working days after shipping."),
    EXPRESS: _("Next working day before 1 pm, for orders paid before 1 pm."),
}


def is_pickup_code(code: str) -> bool:
    return bool(code) and code.startswith(PICKUP_PREFIX)


def price_incl_tax(amount, currency: str) -> prices.Price:
    """A delivery priced incl. VAT: its net at the standard rate whose
    price incl. VAT is ``amount`` (a cent below when no net gives it)."""
    rate = standard_rate()
    net = net_for_gross(amount, rate)
    return prices.Price(
        currency=currency, excl_tax=net, incl_tax=net + vat_of(net, rate), tax_code=rate_code(rate)
    )


def basket_items_gross(basket) -> Decimal:
    """What the basket's items cost incl. VAT (core.money's total), against
    which "free from" and price bands are read."""
    return basket_totals(basket).gross


class DeliveryPricing:
    """Mixed into DeliveryMethod (and the built-in defaults): needs code,
    label, delivery_time, price_incl_tax, free_from_incl_tax, band_basis,
    default_weight and price_bands()."""

    is_discounted = False
    is_pickup = False

    @property
    def name(self) -> str:
        return self.label or str(BUILTIN_NAMES.get(self.code, self.code))

    @property
    def description(self) -> str:
        return self.delivery_time or str(BUILTIN_TIMES.get(self.code, ""))

    def price_bands(self) -> list:
        """(up_to, price) pairs, lowest first."""
        return sorted((band.up_to, band.price_incl_tax) for band in self.bands.all())

    def charge_incl_tax(self, basket) -> Decimal:
        total = basket_items_gross(basket)
        if self.free_from_incl_tax is not None and total >= self.free_from_incl_tax:
            return ZERO
        bands = self.price_bands()
        if not bands:
            return self.price_incl_tax
        if self.band_basis == "weight":
            metric = Scale(default_weight=self.default_weight).weigh_basket(basket)
        else:
            metric = total
        for up_to, price in bands:
            if metric <= up_to:
                return price
        return bands[-1][1]  # beyond the top band: the top band's price

    def calculate(self, basket) -> prices.Price:
        return price_incl_tax(self.charge_incl_tax(basket), basket.currency)

    def discount(self, basket) -> Decimal:
        return ZERO


class BuiltinDelivery(DeliveryPricing):
    """A default method, used while staff have entered none (see defaults)."""

    label = delivery_time = ""
    band_basis = "total"
    default_weight = ZERO

    def __init__(self, code, price_incl_tax, free_from_incl_tax=None):
        self.code = code
        self.price_incl_tax = Decimal(price_incl_tax)
        self.free_from_incl_tax = (
            Decimal(free_from_incl_tax) if free_from_incl_tax is not None else None
        )

    def price_bands(self) -> list:
        return []


class PickupDelivery:
    """Collection at a counter: free; the customer may pay there."""

    is_discounted = False
    is_pickup = True

    def __init__(self, location):
        self.location = location
        self.code = f"{PICKUP_PREFIX}{location.pk or 'shop'}"

    @property
    def name(self) -> str:
        return gettext("Pickup at %(place)s") % {"place": self.location.name}

    @property
    def description(self) -> str:
        return f"{self.location.address} · {self.location.opening_hours}"

    def calculate(self, basket) -> prices.Price:
        return price_incl_tax(ZERO, basket.currency)

    def discount(self, basket) -> Decimal:
        return ZERO

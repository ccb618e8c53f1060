"""The delivery methods offered at checkout: staff's methods and pickup
locations from the admin, or the defaults of the delivery page while a
table is still empty (a fresh install works before anyone edits it)."""

import logging
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext
from oscar.apps.shipping.repository import Repository as OscarRepository
from oscar.core.loading import get_model

from shop.catalogue.cache import cache_tags_touch

from .pricing import (
    EXPRESS,
    PICKUP_PREFIX,
    STANDARD,
    BuiltinDelivery,
    PickupDelivery,
    is_pickup_code,
)

DeliveryMethod = get_model("shipping", "DeliveryMethod")
PickupLocation = get_model("shipping", "PickupLocation")
logger = logging.getLogger(__name__)

# templates/pages/*/delivery.html says so: keep them in step (a test checks).
DEFAULT_STANDARD_PRICE = Decimal("6.90")
DEFAULT_FREE_FROM = Decimal("100.00")
DEFAULT_EXPRESS_PRICE = Decimal("14.90")


def default_methods() -> list:
    return [
        BuiltinDelivery(STANDARD, DEFAULT_STANDARD_PRICE, DEFAULT_FREE_FROM),
        BuiltinDelivery(EXPRESS, DEFAULT_EXPRESS_PRICE),
    ]


def default_pickup_location():
    """The shop's own counter, from its legal identity."""
    legal = settings.COMPTOIR_LEGAL
    street, _sep, city = legal["address"].partition(", ")
    return PickupLocation(
        name=legal["name"],
        line1=street,
        city=city,
        opening_hours=gettext("Monday to Friday, %(hours)s") % {"hours": legal["hours"]},
    )


def pickup_location_for(code: str):
    """The counter of a pickup method's code (the shop's own when the code
    is the default one or the location is gone), or None for a delivery."""
    if not is_pickup_code(code):
        return None
    pk = code.removeprefix(PICKUP_PREFIX)
    location = PickupLocation.objects.filter(pk=pk).first() if pk.isdigit() else None
    return location or default_pickup_location()


# The admin's delivery methods (with their bands) and pickup locations,
# as read from the database: every checkout step reads them (three queries),
# staff change them a few times a year. Every save or delete of a method, a
# band or a location clears the key (now and again on commit:
# ``delivery_tables_changed``, connected in ShippingConfig.ready); a bulk
# ``update()`` fires no signal and must call it itself. The hour is a bound,
# not what keeps them right. Built objects (defaults, translated names) are
# not kept: they are made per request, in its language.
TABLES_KEY = "shipping:tables"
# The tag of what shows a delivery charge (shop.catalogue.cache).
DELIVERY = "delivery"
TABLES_TIMEOUT = 3600


def _read_tables() -> tuple[list, list]:
    return list(DeliveryMethod.objects.prefetch_related("bands")), list(
        PickupLocation.objects.all()
    )


def delivery_tables() -> tuple[list, list]:
    """(delivery methods with their bands, pickup locations), from the cache
    when it answers, else from the database (and kept)."""
    try:
        tables = cache.get(TABLES_KEY)
    except Exception:  # the cache is down: read the database
        logger.warning("Cache unavailable: delivery methods read from the database")
        return _read_tables()
    if tables is None:
        tables = _read_tables()
        try:
            cache.set(TABLES_KEY, tables, TABLES_TIMEOUT)
        except Exception:
            logger.warning("Cache unavailable: delivery methods not kept")
    return tables


def _forget_tables() -> None:
    try:
        cache.delete(TABLES_KEY)
    except Exception:
        logger.warning("Cache unavailable: could not clear the delivery methods")


def delivery_tables_changed(**_signal) -> None:
    """A method, band or location changed: forget the kept tables now, and
    once more when the change commits (a request between the two would have
    kept the rows as they were before it); the cached basket pages, which
    show the delivery charge, are stale too."""
    _forget_tables()
    transaction.on_commit(_forget_tables)
    cache_tags_touch([DELIVERY])


def delivery_methods() -> list:
    """Every method offered, in the admin's order: parcels, then pickups.
    No query when the tables are in the cache, three otherwise; an empty
    table falls back to the defaults (a table with rows, all switched off,
    offers nothing of that kind)."""
    stored, locations = delivery_tables()
    if stored:
        parcels = [m for m in stored if m.is_active]
    else:
        logger.info("No delivery method in the admin: offering the defaults")
        parcels = default_methods()
    if locations:
        pickups = [PickupDelivery(loc) for loc in locations if loc.is_active]
    else:
        pickups = [PickupDelivery(default_pickup_location())]
    return [*parcels, *pickups]


class Repository(OscarRepository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        # Several checkout steps ask within one request: read the tables once.
        request = kwargs.get("request")
        if request is None:
            return delivery_methods()
        if not hasattr(request, "_comptoir_delivery_methods"):
            request._comptoir_delivery_methods = delivery_methods()
        return request._comptoir_delivery_methods


__all__ = ["Repository", "delivery_methods", "is_pickup_code", "pickup_location_for"]

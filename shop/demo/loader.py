"""The whole demo in one call: site name, catalogue, accounts, their
organisations, orders and quote requests."""

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.db import transaction

from .catalogue import catalogue_load, catalogue_plan, images_write
from .orders import addresses_load, countries_load, orders_load
from .organisations import organisations_load
from .procurement import procurement_load
from .shipping import shipping_load
from .users import DEMO_USERS, demo_users_load

SITE_DOMAIN = "localhost:8000"
SITE_NAME = "Comptoir"


def site_configure() -> None:
    Site.objects.update_or_create(pk=1, defaults={"domain": SITE_DOMAIN, "name": SITE_NAME})
    Site.objects.clear_cache()


def demo_load() -> dict:
    """Load the demo data, creating only what is missing; return counts."""
    plan = catalogue_plan()
    # Pictures first, outside the transaction: on SQLite it holds the write
    # lock, and drawing is the slow part.
    drawn = images_write(plan)
    with transaction.atomic():
        site_configure()
        counts = catalogue_load(plan)
        counts["users_created"] = demo_users_load()
        counts["delivery_created"] = shipping_load()
        counts["entities_created"] = organisations_load()
        countries_load()
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[d.username for d in DEMO_USERS])
        }
        addresses_load(users)
        counts["orders_created"] = orders_load(users)
        counts["requests_created"] = procurement_load(users)
    counts["images_drawn"] = drawn
    return counts

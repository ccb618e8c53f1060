"""The whole demo in one call: site name, catalogue, accounts."""

from django.contrib.sites.models import Site
from django.db import transaction

from .catalogue import catalogue_load, catalogue_plan, images_write
from .shipping import shipping_load
from .users import demo_users_load

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
    counts["images_drawn"] = drawn
    return counts

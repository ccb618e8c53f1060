"""The main pages pass axe-core's WCAG 2.1 A and AA rules with no serious or
critical violation, in French and English: the pages of
scripts/a11y/pages.py (the list `make a11y` also checks, with Lighthouse),
reached as a visitor, a customer and staff would, the checkout walked as a
guest. axe-core comes from npm (scripts/a11y; `make test` and CI run
`npm ci` there)."""

import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from tests.factories import make_order, make_product

A11Y = Path(__file__).resolve().parents[2] / "scripts" / "a11y"
sys.path.insert(0, str(A11Y))

from axe import axe_violations, blocking, describe  # noqa: E402
from pages import LOGINS, PAGES, open_as, reach  # noqa: E402

Country = get_model("address", "Country")
ProductCategory = get_model("catalogue", "ProductCategory")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(settings):
    """What the pages need: a category with a product, the demo customer with
    an order, and staff, with the demo's logins."""
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 1
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    category = create_from_breadcrumbs("Semi-conducteurs > Circuits intégrés")
    product = make_product("Timer NE555", mpn="NE555P", price="0.80", stock=50)
    ProductCategory.objects.create(product=product, category=category)
    users = get_user_model().objects
    email, password = LOGINS["customer"]
    customer = users.create_user("shopper", email, password)
    email, password = LOGINS["staff"]
    users.create_superuser("staff", email, password)
    make_order(lines=[(product, 2)], user=customer, email=customer.email)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, shop, artifacts_dir, language
):
    pages, found = {}, {}
    for entry in PAGES:
        if entry.who not in pages:
            pages[entry.who] = open_as(browser, live_server.url, entry.who, language)
        page = pages[entry.who]
        reach(page, live_server.url, entry, language)
        if entry.path and language == "en":
            assert "/en/" in page.url, (entry.name, page.url)
        violations = blocking(axe_violations(page))
        if violations:
            found[entry.name] = describe(violations)
            page.screenshot(path=artifacts_dir / f"a11y-{entry.name}-{language}.png")
        if entry.then is not None:
            entry.then(page)
    for page in pages.values():
        page.context.close()
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())

"""SQL queries per storefront page (issue "The shop runs", budgets).

Counts, never timings, so these hold on any machine and on SQLite as on
PostgreSQL. bench/ measures the same pages on PostgreSQL under load.

Budgets for an anonymous visitor on a cold fragment cache: home, category
and search at most 12 queries, product at most 15; a listing costs as many
queries with 50 products as with 10; on a warm cache the catalogue pages make
no query on the catalogue's tables at all.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from tests.factories import make_product

ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db

BUDGET = {"home": 12, "category": 12, "search": 12, "product": 15}
# Every listing page fits on one page, so "50 products" means 50 cards.
PER_PAGE = 60
# Tables whose queries the fragment cache exists to avoid.
CATALOGUE_TABLE = re.compile(r'"(catalogue|partner)_\w+"')


def add_products(category, word: str, n: int) -> list:
    """``n`` products in ``category``, each with an image and a
    specification, so that a per-product query would show."""
    products = []
    for i in range(n):
        product = make_product(f"{word.capitalize()} {i:03d}", price=f"{i + 1}.50", stock=i % 4)
        product.categories.add(category)
        ProductImage.objects.create(
            product=product, original=f"images/products/{word}-{i}.jpg", display_order=0
        )
        attribute, _ = ProductAttribute.objects.get_or_create(
            product_class=product.product_class,
            code="package",
            defaults={"name": "Package", "type": ProductAttribute.TEXT},
        )
        ProductAttributeValue.objects.create(
            attribute=attribute, product=product, value_text="DIP-8"
        )
        products.append(product)
    return products


@pytest.fixture
def catalogue(settings):
    """Circuits > Timers: 10 products named "Alpha ..."; Circuits > Relays:
    50 products named "Beta ..."; Passives > Resistors, empty."""
    settings.OSCAR_PRODUCTS_PER_PAGE = PER_PAGE
    timers = create_from_breadcrumbs("Circuits > Timers")
    relays = create_from_breadcrumbs("Circuits > Relays")
    create_from_breadcrumbs("Passives > Resistors")
    small = add_products(timers, "alpha", 10)
    add_products(relays, "beta", 50)
    cache.clear()
    return {
        "home": "/",
        "category": relays.get_absolute_url(),
        "category_10": timers.get_absolute_url(),
        "category_parent": timers.get_parent().get_absolute_url(),
        "search": "/search/?q=beta",
        "search_10": "/search/?q=alpha",
        "product": small[0].get_absolute_url(),
    }


def queries(path: str) -> list[str]:
    """The SQL of one GET by an anonymous visitor without cookies."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(path)
    assert response.status_code == 200, path
    return [q["sql"] for q in ctx.captured_queries]


def cold(path: str) -> list[str]:
    cache.clear()
    return queries(path)


def show(sql: list[str]) -> str:
    return "\n".join(sql)


@pytest.mark.parametrize("page", ["home", "category", "category_parent", "search", "product"])
def test_cold_page_is_within_budget(catalogue, page):
    """Given a catalogue and an empty fragment cache, when an anonymous
    visitor opens the page, then it makes no more queries than its budget."""
    sql = cold(catalogue[page])
    budget = BUDGET[page.split("_")[0]]
    assert len(sql) <= budget, f"{len(sql)} queries > {budget}:\n{show(sql)}"


@pytest.mark.parametrize("page", ["category", "search"])
def test_listing_of_50_costs_as_much_as_listing_of_10(catalogue, page):
    """Given a listing of 10 products and one of 50, both on one page, when
    each is rendered on a cold cache, then both make the same number of
    queries: products, stock records and images are fetched in bulk."""
    ten, fifty = cold(catalogue[f"{page}_10"]), cold(catalogue[page])
    assert len(fifty) == len(ten), f"10 products:\n{show(ten)}\n\n50 products:\n{show(fifty)}"


def test_category_page_costs_the_same_whatever_its_subcategories(catalogue):
    """Given a category with two subcategories, when a third is added, then
    its page makes as many queries as before: subcategory links need no
    query each."""
    parent = catalogue["category_parent"]
    before = cold(parent)
    create_from_breadcrumbs("Circuits > Optocouplers")
    after = cold(parent)
    assert len(after) == len(before), f"before:\n{show(before)}\n\nafter:\n{show(after)}"


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "category",
        "category_parent",
        "search",
        "product",
    ],
)
def test_warm_page_makes_no_catalogue_query(catalogue, page):
    """Given a page already rendered once, when the next anonymous visitor
    opens it, then it is served from the fragment cache with no query on the
    catalogue or stock tables."""
    path = catalogue[page]
    cold(path)
    sql = queries(path)
    catalogue_sql = [q for q in sql if CATALOGUE_TABLE.search(q)]
    assert not catalogue_sql, show(catalogue_sql)

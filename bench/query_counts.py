"""Counts the SQL queries of each bench page with Django's test client on the
bench database, as an anonymous first-time visitor (no cookies), with a cold
fragment cache and then a warm one; and shows that a listing of 50 products
costs as many queries as one of 10, and the basket page of a visitor holding
1, 5 or 20 lines as many as each other. Writes results/queries.json.

The fragment cache is an in-process LocMemCache here, so clearing it never
touches the Redis database that the running server uses.
"""

import re
from collections import Counter

from common import STOREFRONT, basket_cookie, basket_of, read_json, setup_django, write_json

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A query on one of these tables is a catalogue query: the fragment cache
# exists to avoid them.
CATALOGUE_TABLE = re.compile(r'"(catalogue|partner)_\w+"')
PAGE_SIZES = (10, 50)
# The basket page with this many lines costs the same (issue 14).
BASKET_LINES = (1, 5, 20)


def capture(path: str, cookies: dict | None = None) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies.load(cookies or {})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {path} answered {response.status_code}")
    return [q["sql"] for q in ctx.captured_queries]


def tables(sql: list[str]) -> dict:
    """How many queries name each table first (FROM or UPDATE/INSERT INTO)."""
    counter = Counter()
    for statement in sql:
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', statement)
        counter[match.group(1) if match else statement.split()[0]] += 1
    return dict(counter)


def count_page(path: str) -> dict:
    from django.core.cache import cache

    cache.clear()
    cold = capture(path)
    warm = capture(path)
    return {
        "path": path,
        "cold": len(cold),
        "cold_catalogue": sum(bool(CATALOGUE_TABLE.search(q)) for q in cold),
        "warm": len(warm),
        "warm_catalogue": sum(bool(CATALOGUE_TABLE.search(q)) for q in warm),
        "cold_tables": tables(cold),
        "warm_sql": warm,
    }


def listing_queries(path: str, count_listed) -> dict:
    """Cold-cache query count of ``path`` at each page size."""
    from django.core.cache import cache
    from django.test import override_settings

    row = {"path": path}
    for size in PAGE_SIZES:
        with override_settings(OSCAR_PRODUCTS_PER_PAGE=size):
            cache.clear()
            row[str(size)] = {"queries": len(capture(path)), "listed": min(size, count_listed)}
    return row


def basket_page_queries(lines: int) -> int:
    """Queries of the basket page of a visitor holding ``lines`` lines (a
    basket made for it, then deleted), on a warm fragment cache."""
    basket = basket_of(lines)
    try:
        cookie = basket_cookie(basket)
        capture("/basket/", cookies=cookie)  # warms the menu and delivery tables
        return len(capture("/basket/", cookies=cookie))
    finally:
        basket.delete()


def scaling_pages() -> dict:
    """A category, a search and the full catalogue, each with 50 or more
    products where the catalogue has them."""
    from oscar.core.loading import get_model

    from shop.catalogue import selectors

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")

    def size(category) -> int:
        # A category lists its own products and its descendants' (their
        # paths start with its path).
        return (
            Product.objects.browsable()
            .filter(categories__path__startswith=category.path)
            .distinct()
            .count()
        )

    by_size = sorted(
        ((size(c), c.path, c) for c in Category.objects.browsable()),
        reverse=True,
        key=lambda t: (t[0], t[1]),
    )
    n_category, _, category = by_size[0]
    # The word of product titles that finds the most products.
    words = Counter(
        word.casefold()
        for title in selectors.product_list_queryset().values_list("title", flat=True)
        for word in set(re.findall(r"\w{4,}", title))
    )
    best_word, n_search = "", -1
    for word, _ in words.most_common(5):
        n = selectors.product_search(query=word).count()
        if n > n_search:
            best_word, n_search = word, n
    n_all = selectors.product_list_queryset().count()
    return {
        "category": (category.get_absolute_url(), n_category),
        "search": (f"/search/?q={best_word}", n_search),
        "catalogue": ("/catalogue/", n_all),
    }


def main() -> None:
    setup_django()
    from django.test import override_settings

    pages = read_json("pages.json")["pages"]
    with override_settings(CACHES=LOCMEM):
        per_page = {name: count_page(pages[name]) for name in STOREFRONT}
        scaling = {name: listing_queries(path, n) for name, (path, n) in scaling_pages().items()}
        baskets = {str(n): basket_page_queries(n) for n in BASKET_LINES}
    write_json("queries.json", {"pages": per_page, "listing": scaling, "basket_lines": baskets})

    print(f"  {'page':9} {'cold':>5} {'(cat.)':>6} {'warm':>5} {'(cat.)':>6}")
    for name, row in per_page.items():
        print(
            f"  {name:9} {row['cold']:>5} {row['cold_catalogue']:>6}"
            f" {row['warm']:>5} {row['warm_catalogue']:>6}"
        )
    for name, row in scaling.items():
        counts = ", ".join(
            f"{row[str(s)]['listed']} listed: {row[str(s)]['queries']} queries" for s in PAGE_SIZES
        )
        print(f"  {name} {row['path']}: {counts}")
    counts = ", ".join(f"{n} lines: {q} queries" for n, q in baskets.items())
    print(f"  basket page of a visitor holding a basket (warm): {counts}")


if __name__ == "__main__":
    main()

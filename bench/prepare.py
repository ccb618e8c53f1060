"""Loads the demo catalogue into the bench database once, then picks the
pages to measure and writes them to results/pages.json.

Run by bench/run.sh after `migrate`, with the bench's environment.
"""

import sys

from common import basket_cookie, basket_of, setup_django, write_json

MIN_PRODUCTS = 300
SEARCH_QUERY = "NE555"


def ensure_demo_catalogue() -> None:
    from django.core.management import call_command, get_commands
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    count = Product.objects.browsable().count()
    if count >= MIN_PRODUCTS:
        print(f"  catalogue: {count} public products already loaded")
        return
    if "load_demo" not in get_commands():
        sys.exit(
            f"bench: the database holds {count} public products and there is no"
            " `load_demo` command to load the demo catalogue."
        )
    print(f"  catalogue: {count} public products, running load_demo")
    # --force: the production settings run with DEBUG off, and the demo's
    # known superuser password is harmless in a database on loopback.
    call_command("load_demo", force=True)
    count = Product.objects.browsable().count()
    if count < MIN_PRODUCTS:
        sys.exit(f"bench: load_demo left {count} public products (expected >= {MIN_PRODUCTS}).")


def pick_pages() -> dict:
    """One URL per kind of page: the leaf category listing the most
    products, and the product the search for NE555 finds first."""
    from django.db.models import Count, Q
    from oscar.core.loading import get_model

    from shop.catalogue import selectors

    Category = get_model("catalogue", "Category")
    categories = (
        Category.objects.browsable()
        .filter(numchild=0)
        .annotate(
            n=Count("product", filter=Q(product__is_public=True, product__parent__isnull=True))
        )
        .order_by("-n", "path")
    )
    category = categories.first()
    product = (
        selectors.product_search(query=SEARCH_QUERY).first()
        or selectors.product_list_queryset().first()
    )
    if category is None or product is None:
        sys.exit("bench: the catalogue has no public category or product.")
    return {
        "ping": "/ping",
        "home": "/",
        "category": category.get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": f"/search/?q={SEARCH_QUERY}",
        "basket": "/basket/",
        "healthz": "/healthz",
    }


def basket_header(lines: int = 5) -> str:
    """A visitor's basket of ``lines`` lines (the first products in stock),
    made once and kept, as the Cookie header that opens it: the page of a
    visitor holding a basket is never served from the page cache."""
    from oscar.core.loading import get_model

    kept = get_model("basket", "Basket").open.filter(owner=None, lines__isnull=False)
    basket = basket_of(lines, kept.order_by("pk").first())
    ((name, value),) = basket_cookie(basket).items()
    return f"Cookie: {name}={value}"


def catalogue_size() -> dict:
    from oscar.core.loading import get_model

    return {
        "products": get_model("catalogue", "Product").objects.browsable().count(),
        "categories": get_model("catalogue", "Category").objects.browsable().count(),
    }


def main() -> None:
    setup_django()
    ensure_demo_catalogue()
    pages = pick_pages()
    # The basket page of a visitor with 5 lines (the header wrk sends).
    pages["basket5"] = "/basket/"
    headers = {"basket5": basket_header(5)}
    write_json("pages.json", {"pages": pages, "headers": headers, "catalogue": catalogue_size()})
    for name, path in pages.items():
        print(f"  {name:9} {path}")


if __name__ == "__main__":
    main()

"""What the bench helpers share: Django set up from the environment that
bench/run.sh exports, and where results go."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))

# The pages the bench measures, in the order of the table. "healthz" (one
# SELECT 1) is not a storefront page: it shows what a database round trip
# costs, with and without persistent connections.
# "basket5": the basket page of a visitor holding 5 lines (prepare.py makes
# the basket; run.sh sends its cookie).
PAGE_ORDER = ["ping", "home", "category", "product", "search", "basket", "basket5", "healthz"]
STOREFRONT = ["home", "category", "product", "search", "basket"]


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")
    import django

    django.setup()


def basket_of(lines: int, basket=None):
    """A guest's basket holding ``lines`` lines (2 of each of the first
    products in stock), or ``basket`` itself when it holds that many."""
    from oscar.core.loading import get_class, get_model

    from shop.catalogue import selectors

    Basket = get_model("basket", "Basket")
    if basket is not None and basket.num_lines == lines:
        return basket
    strategy = get_class("partner.strategy", "Selector")().strategy()
    basket = Basket.objects.create()
    basket.strategy = strategy
    for product in selectors.product_list_queryset():
        if basket.num_lines == lines:
            break
        if strategy.fetch_for_product(product).availability.is_available_to_buy:
            basket.add_product(product, 2)
    return basket


def basket_cookie(basket) -> dict:
    """The cookie that opens a guest's basket."""
    from django.conf import settings
    from django.core.signing import Signer

    return {settings.OSCAR_BASKET_COOKIE_OPEN: Signer().sign(basket.pk)}


def write_json(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def read_json(name: str):
    return json.loads((RESULTS / name).read_text())

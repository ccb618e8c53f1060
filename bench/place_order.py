"""SQL queries and time of placing an order from a 10-line basket.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \
        .venv/bin/python bench/place_order.py [runs=20] [lines=10]

Django's test client, as a guest paying by bank transfer (the placing then
also reserves the stock and confirms the order, and writes the confirmation
email to the outbox). Each run fills a new basket and goes through the
steps (not measured); only the POST that places the order is measured: its
SQL queries (CaptureQueriesContext) and its wall time. Budget: 40 queries
(issue 14; 52 before it).
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("COMPTOIR_SMS_BACKEND", "core.sms.LocmemBackend")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("CELERY_RESULT_BACKEND", "cache+memory://")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Only failed submissions count for the bot guard; off anyway for the bench.
os.environ.setdefault("COMPTOIR_ANTIBOT_IP_RATE", "")
os.environ.setdefault("COMPTOIR_ANTIBOT_MIN_SECONDS", "0")

BUDGET = 40


def bench_products(n: int) -> list:
    """n products in deep stock, made once and reused."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    product_class, _ = ProductClass.objects.get_or_create(
        slug="bench-part", defaults={"name": "Bench part", "track_stock": True}
    )
    partner, _ = Partner.objects.get_or_create(name="Comptoir")
    products = []
    for i in range(n):
        product, _created = Product.objects.get_or_create(
            upc=f"BENCH-PLACE-{i:02d}",
            defaults={"title": f"Bench part {i}", "product_class": product_class},
        )
        StockRecord.objects.update_or_create(
            product=product,
            partner=partner,
            defaults={
                "partner_sku": f"BENCH-PLACE-{i:02d}",
                "price": Decimal("2.50") + i,
                "num_in_stock": 1_000_000,
                "num_allocated": 0,
            },
        )
        products.append(product)
    return products


def to_review(client, products) -> dict:
    """Fill a basket and go through the steps; returns what the review's
    form carries (basket and total)."""
    from django.urls import reverse
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    for product in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    from core.antibot import sign_now

    steps = [
        (
            "checkout:index",
            {"username": "bench@example.com", "options": "anonymous", "form_ts": sign_now()},
        ),
        (
            "checkout:shipping-address",
            {
                "first_name": "Bench",
                "last_name": "Client",
                "line1": "1 rue du Test",
                "line4": "Lyon",
                "postcode": "69001",
                "country": "FR",
            },
        ),
        ("checkout:shipping-method", {"method_code": "standard"}),
        (
            "checkout:payment-method",
            {"payment_method": "transfer", "billing_same_as_shipping": "on"},
        ),
    ]
    for name, data in steps:
        response = client.post(reverse(name), data)
        assert response.status_code == 302, (name, response.content[:2000])
    review = client.get(reverse("checkout:preview"))
    assert review.status_code == 200
    return {
        "basket_id": review.context["basket"].pk,
        "total": review.context["order_total"].incl_tax,
    }


def place_measured(client, reviewed):
    """(queries, seconds, response) of the POST that places the order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    data = {"action": "place_order", "accept_terms": "on", **reviewed}
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(reverse("checkout:preview"), data)
        elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.content[:2000]
    return queries, elapsed, response


def main(runs: int = 20, lines: int = 10) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's ALLOWED_HOSTS and template signals
    products = bench_products(lines)
    counts, times = [], []
    for _ in range(runs):
        client = Client()
        reviewed = to_review(client, products)
        queries, elapsed, _response = place_measured(client, reviewed)
        counts.append(len(queries))
        times.append(elapsed)
    p50 = statistics.median(times) * 1000
    p90 = statistics.quantiles(times, n=10)[-1] * 1000 if runs >= 2 else p50
    print(
        f"Placing an order from a {lines}-line basket on {connection.vendor}, {runs} runs: "
        f"{max(counts)} SQL queries (min {min(counts)}, budget {BUDGET}), "
        f"p50 {p50:.0f} ms, p90 {p90:.0f} ms"
    )
    return 0 if max(counts) <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main(*(int(arg) for arg in sys.argv[1:3])))

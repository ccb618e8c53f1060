"""Storefront, account and admin pages on the large data set: SQL queries
and time, against the budgets of issue 14 (item 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_scale_big \
        .venv/bin/python bench/scale/pages.py [runs=15]

Django's test client in this process, on the generated database
(bench/scale/generate.py), with DEBUG off and no cache at all (Django's
DummyCache): nothing comes from the page or fragment caches, every page is
computed as for the first visitor after a catalogue change. Each page is
fetched twice (warm-up), once counting its queries, then ``runs`` times for
the clock; p50 is the median. Budgets: storefront and account pages p50
under 100 ms, admin order list (filtered, searched) under 300 ms; and the
query count of a page does not grow with the data it shows (a leaf category
against a top category of 5 000 products, a customer with one order against
one with hundreds). Writes results/scale_pages.json.

    PGOPTIONS='-c default_transaction_read_only=on' \
        .venv/bin/python bench/scale/pages.py 7 --read-only [label prefix...]

``--read-only``, for a data set shared with others: signing in writes (a
session row, ``last_login``, an axes log) and Oscar's basket middleware
creates a signed-in customer's basket; with it, sessions are signed cookies,
the two login receivers are disconnected, a customer without a basket gets
an unsaved one (a query fewer than the plain run counts), and every
transaction is read-only (PGOPTIONS: a write is an error, not a change).
Label prefixes pick the pages to run.
"""

import os
import sys
from urllib.parse import urlencode

from common import ADMIN_P50_MS, STOREFRONT_P50_MS, setup_django, timed_get, verdict, write_json

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def pages() -> tuple[list, list, list]:
    """(label, path, client) of the storefront, account and admin pages."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    Order = get_model("order", "Order")
    User = get_user_model()

    anonymous = Client(HTTP_HOST="127.0.0.1")
    leaf = Category.objects.filter(depth=3, slug__startswith="famille-").order_by("path").first()
    if leaf is None:
        raise SystemExit("No generated data here: run bench/scale/generate.py first.")
    series = Category.objects.get(path=leaf.path[:8])
    top = Category.objects.get(path=leaf.path[:4])
    generated = Product.objects.filter(upc__startswith="GEN-")
    product = generated.get(upc=f"GEN-{generated.count() // 2:06d}")
    storefront = [
        (f"category, leaf ({leaf.product_set.count()} products)", leaf.get_absolute_url()),
        ("category, series (500)", series.get_absolute_url()),
        ("category, top (5 000)", top.get_absolute_url()),
        ("category, top, page 40", top.get_absolute_url() + "?page=40"),
        ("product", product.get_absolute_url()),
        ("search, part number", f"/search/?q={product.mpn}"),
        ("search, part number prefix", f"/search/?q={product.mpn[:6]}"),
        ("search, two words", "/search/?q=faible+bruit"),
        ("search, rare word", "/search/?q=bécher+étanche"),
    ]
    storefront = [(label, path, anonymous) for label, path in storefront]

    heavy = (
        User.objects.filter(email__endswith="@bench.example", is_staff=False)
        .annotate(n=Count("orders"))
        .order_by("-n")
        .first()
    )
    light = (
        User.objects.filter(email__endswith="@bench.example", is_staff=False)
        .annotate(n=Count("orders"))
        .filter(n__gte=1)
        .order_by("n", "pk")
        .first()
    )
    account = []
    for user, label in ((light, f"{light.n} orders"), (heavy, f"{heavy.n} orders")):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        account.append((f"account orders, {label}", "/accounts/orders/", client))
    order = Order.objects.filter(user=heavy).order_by("-date_placed").first()
    year_start = timezone.localtime(order.date_placed).replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    account.append(("account order detail", f"/accounts/orders/{order.number}/", account[-1][2]))

    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(User.objects.filter(is_superuser=True).first())
    manager = User.objects.filter(email="manager1@bench.example").first()
    base = "/admin/order/order/"
    some = Order.objects.filter(user=heavy).order_by("pk").first()
    admin = [
        ("admin orders", base),
        ("admin orders, page 50", base + "?p=50"),
        ("admin orders, delivered", base + "?status__exact=delivered"),
        ("admin orders, reserved", base + "?status__exact=reserved"),
        ("admin orders, not paid", base + "?paid=no"),
        ("admin orders, overdue", base + "?overdue=yes"),
        ("admin orders, manager", base + f"?manager__id__exact={manager.pk}"),
        # As the admin's date filter writes it: an aware time, not a bare date.
        ("admin orders, this year", base + "?" + urlencode({"date_placed__gte": str(year_start)})),
        ("admin orders, number", base + f"?q={some.number}"),
        ("admin orders, number prefix", base + f"?q={some.number[:5]}"),
        ("admin orders, email", base + f"?q={heavy.email}"),
        ("admin orders, guest email", base + "?q=invite4242@bench.example"),
        ("admin orders, last name", base + "?q=Fournier"),
        ("admin orders, first and last name", base + "?q=L%C3%A9a+Fournier"),
        ("admin orders, reserved + name", base + "?status__exact=reserved&q=Martin"),
    ]
    admin = [(label, path, staff) for label, path in admin]
    return storefront, account, admin


def _read_only() -> dict:
    """What signing in and Oscar's middleware would write, turned off
    (``--read-only``); returns the settings to override."""
    from axes.signals import handle_user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from oscar.core.loading import get_model

    if "default_transaction_read_only=on" not in os.environ.get("PGOPTIONS", ""):
        raise SystemExit("--read-only: set PGOPTIONS='-c default_transaction_read_only=on'.")
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.disconnect(handle_user_logged_in)
    Basket = get_model("basket", "Basket")

    def get_or_create(manager, **fields):
        found = manager.filter(**fields).first()
        return (found, False) if found else (Basket(**fields), True)

    type(Basket.open).get_or_create = get_or_create
    return {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}


def main(runs: int, read_only: bool = False, prefixes: tuple = ()) -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # the test client's hooks; keeps settings as they are
    overrides = _read_only() if read_only else {}
    results = []
    print(
        f"database: {connection.settings_dict['NAME']}, {'read-only, ' if read_only else ''}"
        f"no cache, {runs} runs a page, load average {os.getloadavg()[0]:.1f}"
    )
    with override_settings(CACHES=NO_CACHE, ALLOWED_HOSTS=["127.0.0.1"], **overrides):
        storefront, account, admin = pages()
        header = (
            f"{'page':<34} {'queries':>7} {'SQL ms':>7} {'CPU ms':>7} {'p50 ms':>8}"
            f" {'p90 ms':>8}  budget"
        )
        for group, budget in ((storefront + account, STOREFRONT_P50_MS), (admin, ADMIN_P50_MS)):
            print(header)
            for label, path, client in group:
                if prefixes and not label.startswith(prefixes):
                    continue
                row = timed_get(client, path, runs=runs)
                row.update(label=label, budget_ms=budget, verdict=verdict(row["p50"], budget))
                results.append(row)
                sql_ms = sum(row["sql_ms"])
                print(
                    f"{label:<34} {row['queries']:>7} {sql_ms:>7.1f} {row['cpu_p50']:>7.1f}"
                    f" {row['p50']:>8.1f}"
                    f" {row['p90']:>8.1f}  < {budget} {row['verdict']}",
                    flush=True,
                )
    if prefixes:
        return
    by_label = {row["label"]: row for row in results}
    leaf = _starting(by_label, "category, leaf")
    heavy = _starting(by_label, "account orders, ", 1)
    checks = [
        ("category: leaf = top", leaf, "category, top (5 000)"),
        ("account orders: few = many", _starting(by_label, "account orders, "), heavy),
    ]
    for title, a, b in checks:
        qa, qb = by_label[a]["queries"], by_label[b]["queries"]
        print(f"constant queries, {title}: {qa} and {qb} {'ok' if qa == qb else 'GROWS'}")
    write_json("scale_pages.json", results)


def _starting(rows: dict, prefix: str, index: int = 0) -> str:
    return [label for label in rows if label.startswith(prefix)][index]


if __name__ == "__main__":
    args = sys.argv[1:]
    read_only = "--read-only" in args
    args = [arg for arg in args if arg != "--read-only"]
    main(int(args[0]) if args else 15, read_only, tuple(args[1:]))

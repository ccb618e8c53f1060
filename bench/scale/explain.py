"""EXPLAIN (ANALYZE) of the queries that bench/scale/pages.py found slow or
that an index serves, as the shop builds them (Django querysets), on the
large data set. bench/README.md quotes these plans before and after each
index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_scale_big \
        .venv/bin/python bench/scale/explain.py [label] [part of a title...]

Writes results/scale_explain_<label>.txt (label: "now" by default); with
parts of titles, only the plans whose title holds one of them.
"""

import sys

from common import RESULTS, setup_django


def plans() -> list[tuple[str, object]]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from oscar.core.loading import get_model

    from orders.selectors import SEARCH_COUNT_CAP, SEARCH_MAX_CUSTOMERS, orders_search
    from shop.catalogue import selectors as catalogue

    Order = get_model("order", "Order")
    Category = get_model("catalogue", "Category")
    User = get_user_model()
    listed = Order.objects.select_related("user", "manager").order_by("-date_placed", "-pk")
    heavy = (
        User.objects.filter(email__endswith="@bench.example", is_staff=False)
        .annotate(n=Count("orders"))
        .order_by("-n")
        .first()
    )
    top = Category.objects.filter(slug="gamme-01").first()
    Product = get_model("catalogue", "Product")
    part_number = Product.objects.get(upc="GEN-050000").mpn
    # What Django's admin search built from search_fields before orders_search.
    default = listed.filter(
        Q(number__icontains="Fournier")
        | Q(user__email__icontains="Fournier")
        | Q(guest_email__icontains="Fournier")
        | Q(user__last_name__icontains="Fournier")
    )
    # orders_search until 2026-12-07: the ids of each branch joined by UNION,
    # the customers' as a subquery (PostgreSQL guesses 5 of them for 2 070).
    customers = User.objects.filter(
        Q(email__icontains="Fournier") | Q(last_name__icontains="Fournier")
    ).values("pk")
    union = (
        Order.objects.filter(number__startswith="Fournier")
        .order_by()
        .values("pk")
        .union(
            Order.objects.filter(guest_email__icontains="Fournier").order_by().values("pk"),
            Order.objects.filter(user__in=customers).order_by().values("pk"),
        )
    )
    return [
        ("admin search: a last name, UNION of ids (before)", listed.filter(pk__in=union)[:100]),
        ("admin search: a last name, UNION of ids (before), capped count",
         Order.objects.order_by().filter(pk__in=union)[:10001]),
        ("admin search: a last name, the customers (first query)",
         User.objects.filter(Q(email__icontains="Fournier") | Q(last_name__icontains="Fournier"))
         .values_list("pk", flat=True)[: SEARCH_MAX_CUSTOMERS + 1]),
        ("admin search: a last name, capped count",
         orders_search(Order.objects.order_by(), text="Fournier")[:SEARCH_COUNT_CAP + 1]),
        ("admin search: a last name, page 10 (the last)",
         orders_search(listed, text="Fournier")[900:1000]),
        ("admin search: reserved + a name",
         orders_search(listed.filter(status="reserved"), text="Martin")[:100]),
        ("admin search: Django's own, a last name", default[:100]),
        ("admin list: Django's full count", Order.objects.filter(status="delivered")),
        ("admin filter: payment methods used, DISTINCT (before)",
         Order.objects.exclude(payment_method="").values_list("payment_method").distinct()),
        ("admin filter: a payment method never used, EXISTS",
         Order.objects.filter(payment_method="unused").values("pk")[:1]),
        ("admin search: a customer's email", orders_search(listed, text=heavy.email)[:100]),
        ("admin search: a guest's email", orders_search(listed, text="invite4242@bench")[:100]),
        ("admin search: a last name", orders_search(listed, text="Fournier")[:100]),
        ("admin search: a number prefix", orders_search(listed, text="10042")[:100]),
        ("admin list: the capped count", Order.objects.order_by()[:10001]),
        ("admin list: delivered, page 1", listed.filter(status="delivered")[:100]),
        ("account order list", Order.objects.filter(user=heavy).order_by("-date_placed")[:20]),
        ("search: words", catalogue.product_search(query="faible bruit")[:24]),
        ("search: part number", catalogue.product_search(query=part_number)[:24]),
        ("category: top (5 000)", catalogue.category_products(category_path=top.path)[:24]),
    ]  # fmt: skip


def main(label: str, only: list[str]) -> None:
    setup_django()
    from django.db import connection

    out = []
    for title, queryset in plans():
        if only and not any(part in title for part in only):
            continue
        sql, params = queryset.query.sql_with_params()
        if title.endswith("count"):
            sql = f"SELECT COUNT(*) FROM ({sql}) counted"
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        out.append(f"## {title}\n\n{plan}\n")
        total = plan.strip().splitlines()[-1]
        print(f"{title:<40} {total}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"scale_explain_{label}.txt"
    path.write_text("\n".join(out))
    print(f"plans in {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "now", sys.argv[2:])

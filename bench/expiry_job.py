"""Time the reservation-expiry job on N due orders (default 1,000 and 10,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \
        .venv/bin/python bench/expiry_job.py 1000 10000

Each order has two lines holding stock, like a real reservation. The orders
are made with bulk inserts (not timed); the job is timed end to end.
"""

import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")
os.environ.setdefault("COMPTOIR_SMS_BACKEND", "core.sms.LocmemBackend")
# The job queues a sending sweep per batch: keep those in memory, not on a
# broker a real worker would later read.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("CELERY_RESULT_BACKEND", "cache+memory://")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.outbox.models import OutboxMessage  # noqa: E402
from orders.services import jobs  # noqa: E402

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderTransition = get_model("order", "OrderTransition")
StockRecord = get_model("partner", "StockRecord")


def make_due_orders(n: int, records) -> None:
    now = timezone.now()
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            Order(
                number=f"BENCH{i:07d}",
                guest_email=f"client{i}@example.com",
                currency="EUR",
                total_incl_tax=Decimal("24.00"),
                total_excl_tax=Decimal("20.00"),
                shipping_incl_tax=Decimal("0"),
                shipping_excl_tax=Decimal("0"),
                status="reserved",
                reserved_until=now - timedelta(minutes=5),
                date_placed=now - timedelta(days=4),
                payment_method="card",
            )
            for i in range(n)
        )
        lines = []
        for i, order in enumerate(orders):
            for record in (records[i % len(records)], records[(i + 1) % len(records)]):
                lines.append(
                    Line(
                        order=order,
                        partner_id=record.partner_id,
                        partner_name="Comptoir",
                        partner_sku=record.partner_sku,
                        stockrecord=record,
                        product_id=record.product_id,
                        title="Bench item",
                        quantity=1,
                        line_price_incl_tax=Decimal("12.00"),
                        line_price_excl_tax=Decimal("10.00"),
                        line_price_before_discounts_incl_tax=Decimal("12.00"),
                        line_price_before_discounts_excl_tax=Decimal("10.00"),
                        unit_price_incl_tax=Decimal("12.00"),
                        unit_price_excl_tax=Decimal("10.00"),
                        num_allocated=1,
                    )
                )
        Line.objects.bulk_create(lines, batch_size=2000)
        for record in records:
            held = sum(1 for line in lines if line.stockrecord_id == record.pk)
            StockRecord.objects.filter(pk=record.pk).update(
                num_in_stock=F("num_in_stock") + held, num_allocated=F("num_allocated") + held
            )


def clean() -> None:
    bench_orders = Order.objects.filter(number__startswith="BENCH")
    OutboxMessage.objects.filter(
        topic__in=[f"order.order:{pk}" for pk in bench_orders.values_list("pk", flat=True)]
    ).delete()
    OrderTransition.objects.filter(order__in=bench_orders).delete()
    Line.objects.filter(order__in=bench_orders).delete()
    bench_orders.delete()


def main(sizes) -> None:
    records = list(StockRecord.objects.select_related("product")[:50])
    if len(records) < 2:
        sys.exit("Load the demo catalogue first (manage.py load_demo).")
    StockRecord.objects.filter(num_allocated__isnull=True).update(num_allocated=0)
    print(f"database: {connection.vendor}")
    results = []
    for n in sizes:
        clean()
        make_due_orders(n, [StockRecord.objects.get(pk=r.pk) for r in records])
        start = time.perf_counter()
        done = jobs.reservations_expire()
        elapsed = time.perf_counter() - start
        assert done == n, (done, n)
        results.append((n, elapsed))
        print(f"{n:>7} due reservations: {elapsed:6.2f} s  ({elapsed / n * 1000:.2f} ms each)")
        clean()
    if len(results) > 1:
        (n1, t1), (n2, t2) = results[0], results[-1]
        print(f"time ratio {t2 / t1:.1f} for a size ratio {n2 / n1:.0f} (linear = equal)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])

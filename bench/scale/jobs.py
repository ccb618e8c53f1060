"""The timed jobs on the large data set: reservation expiry and the
cancellation of unpaid transfers, at 1 000, 10 000 and 100 000 due orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_scale_big \
        .venv/bin/python bench/scale/jobs.py [1000 10000 100000]

For each size and each job, that many due orders are added beside the
million generated ones (bulk inserts, not timed): two lines each holding
stock, like a real reservation; a reservation past its ``reserved_until``
for ``reservations_expire``, a bank transfer placed eight days ago and
unpaid for ``transfers_cancel_unpaid``. The job (orders/services/jobs.py, in
batches of 200 under ``skip_locked``, as beat runs it) is timed end to end,
must cancel exactly those orders, and they are removed after. Linear means
the time per order stays the same whatever the number due and however
many orders the table holds. Writes results/scale_jobs.json.
"""

import sys
import time
from datetime import timedelta
from decimal import Decimal

from common import setup_django, write_json

PREFIX = "JOB"


def make_due_orders(n: int, records, *, job: str) -> None:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    now = timezone.now()
    if job == "reservations_expire":
        fields = {"payment_method": "card", "date_placed": now - timedelta(days=4)}
        fields["reserved_until"] = now - timedelta(minutes=5)
    else:
        fields = {"payment_method": "transfer", "date_placed": now - timedelta(days=8)}
        fields["reserved_until"] = now - timedelta(days=1)
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            (
                Order(
                    number=f"{PREFIX}{i:07d}",
                    guest_email=f"job{i}@bench.example",
                    currency="EUR",
                    total_incl_tax=Decimal("24.00"),
                    total_excl_tax=Decimal("20.00"),
                    shipping_incl_tax=Decimal("0"),
                    shipping_excl_tax=Decimal("0"),
                    status="reserved",
                    **fields,
                )
                for i in range(n)
            ),
            batch_size=5000,
        )
        lines, held = [], {}
        for i, order in enumerate(orders):
            for record in (records[i % len(records)], records[(i + 1) % len(records)]):
                held[record.pk] = held.get(record.pk, 0) + 1
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
        Line.objects.bulk_create(lines, batch_size=5000)
        for pk, units in held.items():
            StockRecord.objects.filter(pk=pk).update(
                num_in_stock=F("num_in_stock") + units, num_allocated=F("num_allocated") + units
            )


def clean() -> None:
    """Remove the bench's orders with what the job wrote about them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS job_orders AS "
            "SELECT id FROM order_order WHERE number LIKE %s",
            [PREFIX + "%"],
        )
        cursor.execute(
            "DELETE FROM core_outboxmessage WHERE topic IN "
            "(SELECT 'order.order:' || id FROM job_orders)"
        )
        for table in ("order_ordertransition", "order_line"):
            cursor.execute(f"DELETE FROM {table} WHERE order_id IN (SELECT id FROM job_orders)")
        cursor.execute("DELETE FROM order_order WHERE id IN (SELECT id FROM job_orders)")
        cursor.execute("DROP TABLE job_orders")


def main(sizes: list[int]) -> None:
    setup_django()
    from django.db import connection
    from oscar.core.loading import get_model

    from orders.services import jobs

    Order = get_model("order", "Order")
    StockRecord = get_model("partner", "StockRecord")
    records = list(
        StockRecord.objects.filter(
            partner_sku__startswith="GEN-", num_allocated__isnull=False
        ).order_by("pk")[:50]
    )
    if len(records) < 2:
        sys.exit("No generated data here: run bench/scale/generate.py first.")
    total = Order.objects.count()
    print(f"database: {connection.settings_dict['NAME']} ({total:,} orders)")
    results = []
    for job in ("reservations_expire", "transfers_cancel_unpaid"):
        for n in sizes:
            clean()
            # Generated orders become due as the data set ages: settle them
            # first (not timed), so that the run cancels exactly its own.
            getattr(jobs, job)()
            make_due_orders(n, [StockRecord.objects.get(pk=r.pk) for r in records], job=job)
            start = time.perf_counter()
            done = getattr(jobs, job)()
            elapsed = time.perf_counter() - start
            cancelled = Order.objects.filter(number__startswith=PREFIX, status="cancelled").count()
            clean()
            assert done == n == cancelled, (job, done, n, cancelled)
            results.append(
                {"job": job, "due": n, "seconds": elapsed, "ms_each": elapsed / n * 1000}
            )
            print(f"{job:<26} {n:>7} due: {elapsed:7.2f} s  ({elapsed / n * 1000:.2f} ms each)")
        rows = [r for r in results if r["job"] == job]
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            print(
                f"{job:<26} time ratio {last['seconds'] / first['seconds']:.1f} for a size ratio "
                f"{last['due'] / first['due']:.0f} (linear = equal)",
                flush=True,
            )
    write_json("scale_jobs.json", results)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 100000])

"""Time the reservation-expiry job on N due orders (default 1,000 and 10,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \
        .venv/bin/python bench/expiry_job.py 1000 10000

Each order has two lines holding stock, like a real reservation. The orders
are made with bulk inserts (not timed); the job is timed end to end.
"""

import os
import sys
import time
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

from django.db import connection  # noqa: E402
from due_orders import due_orders_clean, due_orders_make  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from orders.services import jobs  # noqa: E402

StockRecord = get_model("partner", "StockRecord")
PREFIX = "BENCH"


def main(sizes) -> None:
    records = list(StockRecord.objects.select_related("product")[:50])
    if len(records) < 2:
        sys.exit("Load the demo catalogue first (manage.py load_demo).")
    StockRecord.objects.filter(num_allocated__isnull=True).update(num_allocated=0)
    print(f"database: {connection.vendor}")
    results = []
    for n in sizes:
        due_orders_clean(prefix=PREFIX)
        records = [StockRecord.objects.get(pk=r.pk) for r in records]
        due_orders_make(n, records, job="reservations_expire", prefix=PREFIX)
        start = time.perf_counter()
        done = jobs.reservations_expire()
        elapsed = time.perf_counter() - start
        assert done == n, (done, n)
        results.append((n, elapsed))
        print(f"{n:>7} due reservations: {elapsed:6.2f} s  ({elapsed / n * 1000:.2f} ms each)")
        due_orders_clean(prefix=PREFIX)
    if len(results) > 1:
        (n1, t1), (n2, t2) = results[0], results[-1]
        print(f"time ratio {t2 / t1:.1f} for a size ratio {n2 / n1:.0f} (linear = equal)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])

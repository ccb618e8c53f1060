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
from pathlib import Path

from common import setup_django, write_json

# bench/: the due orders, shared with bench/expiry_job.py (appended, so that
# `common` stays this folder's).
sys.path.append(str(Path(__file__).resolve().parent.parent))
from due_orders import JOBS, due_orders_clean, due_orders_make

PREFIX = "JOB"


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
    for job in JOBS:
        for n in sizes:
            due_orders_clean(prefix=PREFIX)
            # Generated orders become due as the data set ages: settle them
            # first (not timed), so that the run cancels exactly its own.
            getattr(jobs, job)()
            due_orders_make(
                n, [StockRecord.objects.get(pk=r.pk) for r in records], job=job, prefix=PREFIX
            )
            start = time.perf_counter()
            done = getattr(jobs, job)()
            elapsed = time.perf_counter() - start
            cancelled = Order.objects.filter(number__startswith=PREFIX, status="cancelled").count()
            due_orders_clean(prefix=PREFIX)
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

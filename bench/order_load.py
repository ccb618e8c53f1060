"""What placing orders does to the catalogue, once a second, while wrk
measures the category page: bench/run.sh runs it in the background for the
"category while orders are placed" figure.

    python bench/order_load.py CATEGORY_PATH [per_second=1]

Each tick changes the stock of one product listed on that category page
(its stock record saved, num_allocated one up, then one down at the next
tick, so the stock is unchanged at the end): a stock reservation is what an
order changes in the catalogue, and the product is shown on the measured
page, so each tick invalidates it. Placing itself (checkout, payment,
emails) is measured apart by bench/place_order.py: here only its effect on
the cache is, without its CPU cost competing with wrk on the same cores.
Stops on SIGTERM; prints how many ticks ran.
"""

import signal
import sys
import time

from common import setup_django

running = True


def stop(*_args) -> None:
    global running
    running = False


def main(category_path: str, per_second: float = 1.0) -> None:
    setup_django()
    from django.db import transaction
    from django.urls import resolve
    from oscar.core.loading import get_model

    from shop.catalogue import selectors

    Category = get_model("catalogue", "Category")
    StockRecord = get_model("partner", "StockRecord")
    category = Category.objects.get(pk=resolve(category_path).kwargs["pk"])
    listed = selectors.category_products(category_path=category.path)[:8]
    records = list(StockRecord.objects.filter(product__in=listed, num_in_stock__gt=5))
    if not records:
        sys.exit("bench: no product in stock on the measured category page")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ticks, step, period = 0, 1, 1.0 / per_second
    start = time.monotonic()
    while running:
        record = records[(ticks // 2) % len(records)]
        with transaction.atomic():
            locked = StockRecord.objects.select_for_update().get(pk=record.pk)
            locked.num_allocated = max((locked.num_allocated or 0) + step, 0)
            locked.save(update_fields=["num_allocated"])
        step = -step
        ticks += 1
        time.sleep(max(start + ticks * period - time.monotonic(), 0))
    print(f"  order load: {ticks} stock changes in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1], *(float(arg) for arg in sys.argv[2:3]))

"""Does throughput grow with web processes, against one PostgreSQL? (issue
14, item 6)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_scale_big \
        .venv/bin/python bench/scale/throughput.py [seconds=8] [rounds=2]

Reads: gunicorn (sync workers) serves ``shop.wsgi`` on the large data set
with 1, 2 then 4 worker processes; wrk (2 threads, 8 connections) fetches a
category of 500 products, a product and /ping. The pages' URLs carry a query
parameter the storefront does not read (``utm_source``), which skips the
whole-page cache (page_cache.py): each request renders its page and queries
PostgreSQL, as after a change (fragments are cached in Redis db 7). Rounds are interleaved (1, 2, 4,
1, 2, 4...) and each figure is the median over rounds.

Writes: 1, 2 then 4 processes each place orders as guests from a 3-line
basket (the checkout's steps then the placing POST, Django's test client in
the process, bench/place_order.py's flow) for the same time, each on its
own products so that they contend for PostgreSQL, not for one stock row:
orders placed per second and the median time of the placing POST.

The ratio to one process says how much a process adds. On this machine the
ceiling is the 2 cores that gunicorn, wrk, PostgreSQL and Redis share (and
other engineers' work): bench/README.md, "Scale-out". Writes results/scale_throughput.json.
"""

import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORKERS = (1, 2, 4)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.dev",
        DEBUG="False",
        REDIS_URL=REDIS_URL,
        CONN_MAX_AGE="60",
        CELERY_BROKER_URL="memory://",
        CELERY_RESULT_BACKEND="cache+memory://",
        COMPTOIR_SMS_BACKEND="core.sms.LocmemBackend",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def start_gunicorn(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "shop.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=server_env(), start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/ping", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wrk(url: str, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-H", "Cookie: sessionid=bench", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"bench: {url} answered {errors.group(1)} errors")
    return {"rps": rps, "p50": float(p50.group(1)) * scale}


def pages() -> dict:
    sys.path.insert(0, str(HERE))
    from common import setup_django

    setup_django()
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    series = Category.objects.filter(depth=2, slug__startswith="serie-").order_by("path").first()
    generated = Product.objects.filter(upc__startswith="GEN-")
    product = generated.get(upc=f"GEN-{generated.count() // 2:06d}")
    return {
        "ping": "/ping",
        "category": series.get_absolute_url() + "?utm_source=bench",
        "product": product.get_absolute_url() + "?utm_source=bench",
    }


def reads(seconds: int, rounds: int) -> dict:
    paths = pages()
    runs: dict = {}
    for _round in range(rounds):
        for workers in WORKERS:
            process, base = start_gunicorn(workers)
            try:
                for path in paths.values():
                    wrk(base + path, 2)  # warm every worker
                for name, path in paths.items():
                    result = wrk(base + path, seconds)
                    runs.setdefault(f"{name}@{workers}", []).append(result)
                    print(f"  {workers} workers  {name:<9} {result['rps']:8.1f} req/s"
                          f"  p50 {result['p50']:6.1f} ms", flush=True)  # fmt: skip
            finally:
                stop(process)
    return {
        key: {
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
        }
        for key, results in runs.items()
    }


def writer(index: int, seconds: float, queue) -> None:
    """One process placing orders until the time is up."""
    os.environ.update({k: v for k, v in server_env().items() if k != "DEBUG"})
    os.environ["DEBUG"] = "False"
    os.environ["COMPTOIR_ANTIBOT_IP_RATE"] = ""
    os.environ["COMPTOIR_ANTIBOT_MIN_SECONDS"] = "0"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from decimal import Decimal

    from django.test import Client
    from django.test.utils import setup_test_environment
    from oscar.core.loading import get_model
    from place_order import place_measured, to_review

    setup_test_environment()
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    product_class = ProductClass.objects.filter(track_stock=True).first()
    partner = Partner.objects.first()
    products = []
    for i in range(3):
        product, _ = Product.objects.get_or_create(
            upc=f"SCALE-W{index}-{i}",
            defaults={"title": f"Scale writer {index}.{i}", "product_class": product_class},
        )
        StockRecord.objects.update_or_create(
            product=product, partner=partner,
            defaults={"partner_sku": f"SCALE-W{index}-{i}", "price": Decimal("3.00"),
                      "num_in_stock": 10_000_000, "num_allocated": 0},
        )  # fmt: skip
        products.append(product)
    to_review(Client(), products)  # warm-up, not counted
    placed, times = 0, []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        client = Client()
        reviewed = to_review(client, products)
        _queries, elapsed, _response = place_measured(client, reviewed)
        placed += 1
        times.append(elapsed)
    queue.put((placed, times))


def writes(seconds: int, rounds: int) -> dict:
    runs: dict = {}
    context = multiprocessing.get_context("spawn")
    for _round in range(rounds):
        for processes in WORKERS:
            queue = context.Queue()
            workers = [
                context.Process(target=writer, args=(i, seconds, queue)) for i in range(processes)
            ]
            for w in workers:
                w.start()
            results = [queue.get(timeout=seconds * 20 + 120) for _ in workers]
            for w in workers:
                w.join()
            placed = sum(n for n, _t in results)
            times = [t for _n, ts in results for t in ts]
            result = {"per_s": placed / seconds, "p50": statistics.median(times) * 1000}
            runs.setdefault(processes, []).append(result)
            print(f"  {processes} writers  {result['per_s']:6.2f} orders/s"
                  f"  placing p50 {result['p50']:6.1f} ms", flush=True)  # fmt: skip
    return {
        str(n): {
            "per_s": statistics.median(r["per_s"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
        }
        for n, results in runs.items()
    }


def main(seconds: int, rounds: int) -> None:
    sys.path.insert(0, str(HERE))
    from common import write_json

    print(f"Reads: gunicorn 1, 2, 4 workers, wrk -t2 -c8 -d{seconds}s, {rounds} rounds")
    read = reads(seconds, rounds)
    print(f"Writes: 1, 2, 4 processes placing orders for {seconds * 2} s, {rounds} rounds")
    write = writes(seconds * 2, rounds)
    print(f"\n{'':<10} {'1':>16} {'2':>22} {'4':>22}")
    for name in ("ping", "category", "product"):
        one = read[f"{name}@1"]["rps"]
        cells = [
            f"{read[f'{name}@{w}']['rps']:7.0f} ×{read[f'{name}@{w}']['rps'] / one:4.2f}"
            f" {read[f'{name}@{w}']['p50']:5.1f}ms"
            for w in WORKERS
        ]
        print(f"{name:<10} " + " ".join(f"{c:>22}" for c in cells))
    one = write["1"]["per_s"]
    cells = [
        f"{write[str(w)]['per_s']:6.2f}/s ×{write[str(w)]['per_s'] / one:4.2f}"
        f" {write[str(w)]['p50']:4.0f}ms"
        for w in WORKERS
    ]
    print(f"{'placing':<10} " + " ".join(f"{c:>22}" for c in cells))
    print("(req/s or orders/s, ratio to one process, p50)")
    write_json("scale_throughput.json", {"reads": read, "writes": write, "load": os.getloadavg()})


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [8, 2][len(args) :]))

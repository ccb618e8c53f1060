"""What the scale benches share: Django on the large data set, timing with
query counting, and the budgets."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
BIG_DB = "postgres://postgres@127.0.0.1:5432/comptoir_scale_big"

# Budgets of issue 14, item 4 (p50, milliseconds).
STOREFRONT_P50_MS = 100
ADMIN_P50_MS = 300


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", BIG_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("COMPTOIR_SMS_BACKEND", "core.sms.LocmemBackend")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ.setdefault("CELERY_RESULT_BACKEND", "cache+memory://")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def timed_get(client, path: str, *, runs: int, warmup: int = 2) -> dict:
    """GET ``path`` ``warmup`` times, once counting its SQL queries, then
    ``runs`` times for the clock; answers must be 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    # Read now: the next request resets the connection's query log.
    captured = list(ctx.captured_queries)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return {
        "path": path,
        "queries": len(captured),
        "sql": [q["sql"] for q in captured],
        "sql_ms": [float(q["time"]) * 1000 for q in captured],
        "p50": statistics.median(times),
        # This process's CPU time: the Python side's own cost, which waiting
        # for a core on a busy machine does not inflate (the SQL is apart).
        "cpu_p50": statistics.median(cpu),
        "p90": times[min(len(times) - 1, int(len(times) * 0.9))],
        "runs": runs,
    }


def write_json(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else "OVER"

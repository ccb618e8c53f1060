"""What the bench helpers share: Django set up from the environment that
bench/run.sh exports, and where results go."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))

# The pages the bench measures, in the order of the table. "healthz" (one
# SELECT 1) is not a storefront page: it shows what a database round trip
# costs, with and without persistent connections.
# "basket5": the basket page of a visitor holding 5 lines (prepare.py makes
# the basket; run.sh sends its cookie).
PAGE_ORDER = ["ping", "home", "category", "product", "search", "basket", "basket5", "healthz"]
STOREFRONT = ["home", "category", "product", "search", "basket"]


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")
    import django

    django.setup()


def write_json(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def read_json(name: str):
    return json.loads((RESULTS / name).read_text())

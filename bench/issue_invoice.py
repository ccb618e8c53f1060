"""Time issuing a 20-line invoice (the transaction: number and row, no
render) against its budget, its render after commit apart, and ten invoices
issued at the same moment, the PDF rendered inside the issuing transaction
(as before issue 14) and after its commit (now).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \\
        .venv/bin/python bench/issue_invoice.py [runs=20] [--lines 20] [--concurrent 10]

``issue_document`` as the "shipped" move calls it, against PostgreSQL:
each issue commits (the numbers it takes are used: run it on a bench
database, never on the shop's). The first issue and render (fonts and
templates loaded) are left out. Budget: 150 ms p50 (issue 14, item 5).
The concurrent run uses one thread and one connection per invoice: the
renders share one interpreter (the GIL), so the PDFs come no faster than one
after the other; what moves is when each number is committed.
"""

import argparse
import dataclasses
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")
os.environ.setdefault("DEBUG", "False")
# The on-commit task goes nowhere: the bench renders itself, where it says.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("CELERY_RESULT_BACKEND", "cache+memory://")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from render_invoice import invoice, percentile  # noqa: E402  (beside this file: the same invoice)

from billing.documents.services import document_pdf_render, issue_document  # noqa: E402

BUDGET_MS = 150


def timed(function):
    """(result, wall ms, CPU ms of this process) of ``function()``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def summary(name: str, ms: list[float]) -> str:
    return (
        f"{name:12} n={len(ms)}  p50 {statistics.median(ms):.0f} ms  "
        f"p99 {percentile(ms, 99):.0f} ms  min {min(ms):.0f} ms"
    )


def concurrent(data, n: int, *, render_inside: bool) -> tuple[float, float]:
    """Issue ``n`` invoices at the same moment, each in its own thread and
    connection; (ms until the last number is committed, ms until the last
    PDF is stored). ``render_inside``: the PDF is rendered inside the
    issuing transaction, the sequence row locked meanwhile."""
    barrier = threading.Barrier(n + 1)
    # After commit, the renders wait for every issue to commit: in the shop
    # they run in a worker process, which takes no GIL from the issuers.
    issued = threading.Barrier(n)
    committed, rendered, errors = [], [], []

    def worker():
        try:
            barrier.wait()
            if render_inside:
                with transaction.atomic():
                    document = issue_document(data)
                    document_pdf_render(document=document)
                committed.append(time.perf_counter())
            else:
                document = issue_document(data)
                committed.append(time.perf_counter())
                issued.wait()
                document_pdf_render(document=document)
            rendered.append(time.perf_counter())
        except Exception as exc:  # reported below, the run is void
            errors.append(exc)
            issued.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return (max(committed) - start) * 1000, (max(rendered) - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, nargs="?", default=20)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=10, help="0: skip")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it against PostgreSQL (DATABASE_URL): SQLite serialises every writer.")
    data = dataclasses.replace(invoice(args.lines), number="", date=timezone.localdate())

    warm = issue_document(data)
    document_pdf_render(document=warm)
    issue_wall, issue_cpu, render_wall, render_cpu, documents = [], [], [], [], []
    for _ in range(args.runs):
        document, wall, cpu = timed(lambda: issue_document(data))
        documents.append(document)
        issue_wall.append(wall)
        issue_cpu.append(cpu)
    for document in documents:
        _pdf, wall, cpu = timed(lambda document=document: document_pdf_render(document=document))
        render_wall.append(wall)
        render_cpu.append(cpu)

    p50 = statistics.median(issue_wall)
    verdict = "met" if p50 < BUDGET_MS else "NOT MET"
    print(f"Issuing a {args.lines}-line invoice (number + row, committed; no render):")
    print(summary("issue wall", issue_wall) + f"  budget {BUDGET_MS} ms p50: {verdict}")
    print(summary("issue cpu", issue_cpu))
    print("Rendering it after commit (document_pdf_render: render + one UPDATE):")
    print(summary("render wall", render_wall))
    print(summary("render cpu", render_cpu))

    if args.concurrent:
        n = args.concurrent
        print(f"{n} invoices issued at the same moment (own connections):")
        for label, inside in (("render inside (before)", True), ("after commit (now)", False)):
            numbers, pdfs = concurrent(data, n, render_inside=inside)
            print(f"  {label:23} last number committed {numbers:6.0f} ms, last PDF {pdfs:6.0f} ms")
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

"""Time rendering a 20-line invoice to PDF (WeasyPrint), N times.

    .venv/bin/python bench/render_invoice.py            # 50 renders
    .venv/bin/python bench/render_invoice.py 200 --facturx

No database: the invoice is built in memory, as document_pdf_render reads
it from the issued document (bench/issue_invoice.py times issuing and the
render after commit against the database). The first render (fonts and
templates loaded) is reported apart and left out of the percentiles.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")

import django
from pypdf import PdfReader

django.setup()

from billing.documents.data import Buyer, DocumentData, Line, References  # noqa: E402
from billing.documents.facturx import render_facturx_pdf  # noqa: E402
from billing.documents.rendering import render_pdf  # noqa: E402


def invoice(lines: int) -> DocumentData:
    return DocumentData(
        kind="invoice",
        number="FA-2026-00042",
        date=datetime.date(2026, 11, 23),
        due_date=datetime.date(2026, 12, 23),
        language="fr",
        buyer=Buyer(
            name="Marie Curie",
            entity_name="Université Claude Bernard Lyon 1",
            siret="19691774400019",
            vat_number="FR43196917744",
            billing_address=["43 boulevard du 11 Novembre 1918", "69622 Villeurbanne", "FR"],
            shipping_address=["Laboratoire LMI", "21 avenue Claude Bernard", "69100 Villeurbanne"],
            chorus_service_code="SERV-LMI-042",
            purchase_order_number="BC-2026-00871",
            is_business=True,
            is_public_body=True,
        ),
        lines=[
            Line(
                description=f"Metal film resistor 1/4 W 1 % – {i} kΩ, 13 mm lead spacing",
                part_number=f"MFR-25FBF52-{i}K",
                quantity=10 * i,
                unit_price_excl=Decimal("0.1250") * i,
                vat_rate=Decimal("0.20") if i % 5 else Decimal("0.055"),
            )
            for i in range(1, lines + 1)
        ],
        references=References(order_number="100231"),
        payment_method="Mandat administratif",
        payment_terms="30 jours à compter de la date de facture",
    )


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=50)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--facturx", action="store_true", help="PDF/A-3b with the CII XML")
    args = parser.parse_args()
    render = render_facturx_pdf if args.facturx else render_pdf
    data = invoice(args.lines)

    start = time.perf_counter()
    pdf = render(data)
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(args.n):
        start, start_cpu = time.perf_counter(), time.process_time()
        render(data)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    kind = "Factur-X " if args.facturx else ""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{kind}invoice, {args.lines} lines, {pages} pages, {len(pdf) // 1024} KiB, "
        f"first render {first * 1000:.0f} ms"
    )
    # CPU time is what the render costs; wall time adds the wait for a core
    # on a shared machine (load average printed for that reason).
    for name, ms in (("wall", wall), ("cpu", cpu)):
        print(
            f"{name:4} n={args.n}  p50 {statistics.median(ms):.0f} ms  "
            f"p99 {percentile(ms, 99):.0f} ms  mean {statistics.mean(ms):.0f} ms  "
            f"min {min(ms):.0f} ms"
        )
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

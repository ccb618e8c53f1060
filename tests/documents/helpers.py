"""Builders and readers for the documents' tests."""

import datetime
import io
import subprocess
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from billing.documents.data import Buyer, DocumentData, Line, References

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
NNBSP = "\u202f"


def institution_buyer(**overrides) -> Buyer:
    fields = {
        "name": "Marie Curie",
        "entity_name": "Université Claude Bernard Lyon 1",
        "siret": "19691774400019",
        "vat_number": "FR43196917744",
        "billing_address": ["43 boulevard du 11 Novembre 1918", "69622 Villeurbanne", "FR"],
        "shipping_address": ["Laboratoire LMI", "21 avenue Claude Bernard", "69100 Villeurbanne"],
        "email": "achats@univ-lyon1.example",
        "chorus_service_code": "SERV-LMI-042",
        "purchase_order_number": "BC-2026-00871",
        "is_business": True,
        "is_public_body": True,
    }
    return Buyer(**{**fields, **overrides})


def person_buyer() -> Buyer:
    return Buyer(
        name="Jean Dupont",
        billing_address=["5 place Bellecour", "69002 Lyon", "France"],
        email="jean@example.com",
    )


def sample_lines(n: int = 3) -> list[Line]:
    lines = [
        Line(
            description=f"Metal film resistor 1/4 W 1 % – {i} kΩ",
            part_number=f"MFR-25FBF52-{i}K",
            quantity=i * 10,
            unit_price_excl=Decimal("0.125") * i,
            vat_rate=Decimal("0.20"),
        )
        for i in range(1, n)
    ]
    lines.append(
        Line(
            description="The Art of Electronics (book)",
            part_number="ISBN-9780521809269",
            quantity=1,
            unit_price_excl=Decimal("85.31"),
            vat_rate=Decimal("0.055"),
        )
    )
    return lines


def sample_data(kind="invoice", *, language="fr", buyer=None, lines=None, **extra) -> DocumentData:
    fields = {
        "kind": kind,
        "buyer": buyer or institution_buyer(),
        "lines": lines if lines is not None else sample_lines(),
        "date": datetime.date(2026, 11, 23),
        "due_date": datetime.date(2026, 12, 23),
        "language": language,
        "references": References(order_number="T100231"),
        "payment_method": "Administrative mandate",
        "payment_terms": "30 days",
    }
    fields.update(extra)
    return DocumentData(**fields)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # French amounts use narrow no-break spaces; lines wrap anywhere: compare
    # on single spaces.
    return " ".join(text.replace("\xa0", " ").replace(NNBSP, " ").split())


def screenshot(pdf: bytes, name: str) -> Path:
    """The first page as PNG in test-artifacts/documents/, for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / name),
        ],
        check=True,
        timeout=60,
    )
    return ARTIFACTS / f"{name}.png"

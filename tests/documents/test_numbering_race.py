"""Numbers under concurrency: each issuer has its own connection and the
rows must be committed, hence transaction=True. Meaningful on PostgreSQL
(CI); SQLite serialises writers and must pass too."""

import pytest
from django.db import transaction

from billing.documents.services import issue_document
from billing.models import Document
from tests.concurrency import run_together

from .helpers import sample_data

pytestmark = pytest.mark.django_db(transaction=True)


class Abandoned(Exception):
    pass


def test_concurrent_invoices_are_gapless_and_unique():
    """Given no invoice yet this year, when 8 invoices are issued at the same
    moment and a 9th is rolled back after taking its number, then the 8
    committed invoices hold exactly FA-2026-00001 to 00008."""

    def issue():
        issue_document(sample_data("invoice"))

    def issue_then_fail():
        with transaction.atomic():
            issue_document(sample_data("invoice"))
            raise Abandoned

    run_together([issue] * 8 + [issue_then_fail], expected=(Abandoned,), timeout=120)

    numbers = sorted(Document.objects.filter(kind="invoice").values_list("number", flat=True))
    assert numbers == [f"FA-2026-{n:05d}" for n in range(1, 9)]
    sequence = sorted(Document.objects.values_list("sequence_number", flat=True))
    assert sequence == list(range(1, 9))


def test_ten_orders_shipping_at_once_get_gapless_invoices_each_with_its_pdf(
    picking_order, eager_celery
):
    """Given ten paid orders being picked and no invoice yet this year, when
    staff ship all ten at the same moment (each in its own connection: the
    invoice is issued inside the "shipped" move, its PDF rendered after
    that commits by the task, run in-process here), then the ten invoices
    hold exactly the next ten numbers, one per order, and after the beat
    job's sweep none is left without its PDF, whose checksum is the one
    recorded and which prints its own number."""
    import io
    import re

    from django.utils import timezone
    from pypdf import PdfReader

    from billing.documents.services import pdf_checksum_ok
    from billing.documents.tasks import document_render
    from orders.services import transitions as t

    orders = [picking_order() for _ in range(10)]

    def ship(order):
        return lambda: t.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A1")

    run_together([ship(order) for order in orders], timeout=300)
    # The fast path rendered all ten; the beat job finds nothing left.
    assert document_render() == 0
    assert not Document.objects.filter(sha256="").exists()

    year = timezone.localdate().year
    invoices = list(Document.objects.filter(kind="invoice").order_by("sequence_number"))
    assert [d.number for d in invoices] == [f"FA-{year}-{n:05d}" for n in range(1, 11)]
    assert sorted(d.order_id for d in invoices) == sorted(o.pk for o in orders)
    for invoice in invoices:
        assert invoice.pdf and pdf_checksum_ok(invoice), invoice.number
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(invoice.pdf)).pages)
        assert invoice.number in re.sub(r"\s+", "", text), invoice.number

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

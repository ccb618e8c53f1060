"""Numbers per kind and per year: FA-2026-00001, AV-2026-00001...

Invoices and credit notes must be numbered without gaps (French law); the
other kinds use the same mechanism. The year's sequence row is locked with
select_for_update inside the issuing transaction: a second issuer waits for
the first to commit (or roll back, giving the number back), so a number is
never given twice and never skipped.
"""

from django.db import transaction

from billing.models import DocumentSequence

from .data import Kind

PREFIXES = {
    Kind.INVOICE: "FA",
    Kind.CREDIT_NOTE: "AV",
    Kind.QUOTE: "DE",
    Kind.PROFORMA: "PF",
    Kind.DELIVERY_NOTE: "BL",
}


def format_number(kind: str, year: int, n: int) -> str:
    return f"{PREFIXES[kind]}-{year}-{n:05d}"


def number_allocate(*, kind: str, year: int) -> tuple[str, int]:
    """The next number of ``kind`` in ``year``, as (text, n). Must run in
    the transaction that saves the document: the lock is held until it ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_allocate must run inside the issuing transaction.")
    sequence, _ = DocumentSequence.objects.select_for_update().get_or_create(kind=kind, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_number(kind, year, sequence.last_number), sequence.last_number

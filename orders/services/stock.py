"""Holding and releasing stock for order lines.

Oscar checks availability and allocates separately, which oversells under
concurrency (shared/NOTES.md). Here every change locks the stock records it
touches, in primary-key order so two orders cannot deadlock, reads them
under the lock and writes them in the same transaction. On SQLite, which
has no row locks, write transactions start IMMEDIATE (settings), which
serialises them.
"""

from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_model

from core.bulk import update_in_groups
from shop.catalogue.cache import products_changed

StockRecord = get_model("partner", "StockRecord")


def lock_stockrecords(ids) -> dict:
    """The one place that takes stock locks: ids in ascending order."""
    records = StockRecord.objects.filter(pk__in=set(ids)).order_by("pk").select_for_update()
    return {record.pk: record for record in records}


@dataclass(frozen=True)
class LineReservation:
    line_id: int
    wanted: int
    reserved: int


def stock_reserve_lines(*, lines) -> list[LineReservation]:
    """Hold as many units as stock allows for each line (what is missing is
    bought from a supplier). Lines keep what they already hold."""
    assert transaction.get_connection().in_atomic_block, "reserve inside a transaction"
    stocked = [line for line in lines if line.stockrecord_id and line.tracks_stock]
    records = lock_stockrecords(line.stockrecord_id for line in stocked)
    results = []
    for line in sorted(stocked, key=lambda line: (line.stockrecord_id, line.pk)):
        record = records[line.stockrecord_id]
        available = max(record.num_in_stock - (record.num_allocated or 0), 0)
        wanted = line.quantity - (line.num_allocated or 0)
        take = min(max(wanted, 0), available)
        record.num_allocated = (record.num_allocated or 0) + take
        line.num_allocated = (line.num_allocated or 0) + take
        if line.num_allocated < line.quantity and line.lead_time_days is None:
            line.lead_time_days = record.lead_time_days
        results.append(LineReservation(line.pk, line.quantity, line.num_allocated))
    _save(records.values(), stocked)
    return results


def stock_release_lines(*, lines) -> None:
    """Give back every unit the lines hold (cancellation, edit)."""
    assert transaction.get_connection().in_atomic_block, "release inside a transaction"
    holding = [line for line in lines if line.stockrecord_id and line.num_allocated]
    records = lock_stockrecords(line.stockrecord_id for line in holding)
    for line in holding:
        record = records[line.stockrecord_id]
        record.num_allocated = max((record.num_allocated or 0) - line.num_allocated, 0)
        line.num_allocated = 0
    _save(records.values(), holding)


def stock_consume_lines(*, lines) -> None:
    """The goods leave the shop: held units leave the stock count too."""
    assert transaction.get_connection().in_atomic_block, "consume inside a transaction"
    holding = [line for line in lines if line.stockrecord_id and line.num_allocated]
    records = lock_stockrecords(line.stockrecord_id for line in holding)
    for line in holding:
        record = records[line.stockrecord_id]
        taken = min(line.num_allocated, record.num_allocated or 0, record.num_in_stock)
        record.num_allocated = (record.num_allocated or 0) - taken
        record.num_in_stock -= taken
    _save(records.values(), [])


def stock_put_back(*, quantities: dict[int, int]) -> None:
    """Returned goods found sound go back on the shelf: ``{stock record id:
    units}`` are added to the stock count (returns, after inspection of the
    parcel). Locks the records like every other stock change."""
    assert transaction.get_connection().in_atomic_block, "put back inside a transaction"
    wanted = {pk: units for pk, units in quantities.items() if pk and units > 0}
    records = lock_stockrecords(wanted)
    for pk, units in wanted.items():
        records[pk].num_in_stock += units
    _save(records.values(), [])


def _save(records, lines) -> None:
    records = list(records)
    if records:
        update_in_groups(StockRecord, records, ["num_allocated", "num_in_stock"])
        # bulk_update sends no signal: these products' stock badges change
        # (their pages and the listings showing them; on commit).
        products_changed(record.product_id for record in records)
    if lines:
        update_in_groups(type(lines[0]), lines, ["num_allocated", "lead_time_days"])

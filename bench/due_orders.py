"""Orders due for a timed job, made and removed in bulk, for the benches of
the jobs (bench/expiry_job.py on the demo, bench/scale/jobs.py beside a
million orders): each holds stock on two lines, like a real reservation; a
reservation past its ``reserved_until`` for ``reservations_expire``, a bank
transfer placed eight days ago and unpaid for ``transfers_cancel_unpaid``.
Django must be set up before calling them."""

from datetime import timedelta
from decimal import Decimal

JOBS = ("reservations_expire", "transfers_cancel_unpaid")


def due_orders_make(n: int, records, *, job: str, prefix: str) -> None:
    """``n`` orders numbered ``<prefix><i>`` due for ``job``, their lines
    holding stock on ``records`` (two each, in turn)."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    now = timezone.now()
    if job == "reservations_expire":
        fields = {"payment_method": "card", "date_placed": now - timedelta(days=4)}
        fields["reserved_until"] = now - timedelta(minutes=5)
    else:
        fields = {"payment_method": "transfer", "date_placed": now - timedelta(days=8)}
        fields["reserved_until"] = now - timedelta(days=1)
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            (
                Order(
                    number=f"{prefix}{i:07d}",
                    guest_email=f"job{i}@bench.example",
                    currency="EUR",
                    total_incl_tax=Decimal("24.00"),
                    total_excl_tax=Decimal("20.00"),
                    shipping_incl_tax=Decimal("0"),
                    shipping_excl_tax=Decimal("0"),
                    status="reserved",
                    **fields,
                )
                for i in range(n)
            ),
            batch_size=5000,
        )
        lines, held = [], {}
        for i, order in enumerate(orders):
            for record in (records[i % len(records)], records[(i + 1) % len(records)]):
                held[record.pk] = held.get(record.pk, 0) + 1
                lines.append(
                    Line(
                        order=order,
                        partner_id=record.partner_id,
                        partner_name="Comptoir",
                        partner_sku=record.partner_sku,
                        stockrecord=record,
                        product_id=record.product_id,
                        title="Bench item",
                        quantity=1,
                        line_price_incl_tax=Decimal("12.00"),
                        line_price_excl_tax=Decimal("10.00"),
                        line_price_before_discounts_incl_tax=Decimal("12.00"),
                        line_price_before_discounts_excl_tax=Decimal("10.00"),
                        unit_price_incl_tax=Decimal("12.00"),
                        unit_price_excl_tax=Decimal("10.00"),
                        num_allocated=1,
                    )
                )
        Line.objects.bulk_create(lines, batch_size=5000)
        for pk, units in held.items():
            StockRecord.objects.filter(pk=pk).update(
                num_in_stock=F("num_in_stock") + units, num_allocated=F("num_allocated") + units
            )


def due_orders_clean(*, prefix: str) -> None:
    """Remove the orders numbered ``<prefix>...`` with what the job wrote
    about them (transitions, outbox messages)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS job_orders AS "
            "SELECT id FROM order_order WHERE number LIKE %s",
            [prefix + "%"],
        )
        cursor.execute(
            "DELETE FROM core_outboxmessage WHERE topic IN "
            "(SELECT 'order.order:' || id FROM job_orders)"
        )
        for table in ("order_ordertransition", "order_line"):
            cursor.execute(f"DELETE FROM {table} WHERE order_id IN (SELECT id FROM job_orders)")
        cursor.execute("DELETE FROM order_order WHERE id IN (SELECT id FROM job_orders)")
        cursor.execute("DROP TABLE job_orders")

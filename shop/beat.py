"""Every periodic job of the shop, in one place. The Celery app reads it
(shop/celery.py): settings name no task, so they import no app code.

Each entry names a thin task that calls a service; the jobs are idempotent
(DESIGN.md, rule 5), so a missed or doubled beat changes nothing more.
"""

from typing import Any

from celery.schedules import crontab
from django.conf import settings


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery beat's schedule; read when the Celery app is configured, so
    the housekeeping interval follows settings (HOUSEKEEPING_INTERVAL)."""
    return {
        # shop: old baskets and sessions; back-in-stock alerts.
        "housekeeping": {
            "task": "shop.tasks.housekeeping",
            "schedule": settings.HOUSEKEEPING_INTERVAL,
        },
        "product-alerts-send": {"task": "shop.tasks.product_alerts_send", "schedule": 900.0},
        # core: the outbox's sweep (what the on-commit fast path missed).
        "outbox-send": {"task": "core.outbox.tasks.outbox_send", "schedule": 60.0},
        # orders: the time-driven moves of the state machine.
        "orders-reserve-waiting": {
            "task": "orders.tasks.orders_reserve_waiting",
            "schedule": 120.0,
        },
        "reservations-expire": {"task": "orders.tasks.reservations_expire", "schedule": 300.0},
        "transfers-remind-unpaid": {
            "task": "orders.tasks.transfers_remind_unpaid",
            "schedule": 3600.0,
        },
        "transfers-cancel-unpaid": {
            "task": "orders.tasks.transfers_cancel_unpaid",
            "schedule": 3600.0,
        },
        # billing: the documents still without their PDF (what the on-commit
        # fast path missed: broker down, worker crash).
        "documents-render": {"task": "billing.documents.tasks.document_render", "schedule": 60.0},
        # billing: online payments still pending after 15 minutes are asked
        # about (a lost webhook, a closed tab).
        "payments-reconcile-pending": {
            "task": "billing.payments.tasks.payments_reconcile_pending",
            "schedule": 600.0,
        },
        # procurement: quotes past their validity expire; late supplier
        # orders are emailed to staff.
        "quotes-expire": {
            "task": "procurement.tasks.quotes_expire",
            "schedule": crontab(hour=1, minute=10),
        },
        "supplier-orders-digest": {
            "task": "procurement.tasks.supplier_orders_digest",
            "schedule": crontab(hour=7, minute=30),
        },
        # returns: refunds past the 7-business-day promise, emailed to staff.
        "returns-refunds-digest": {
            "task": "returns.tasks.returns_refunds_digest",
            "schedule": crontab(hour=7, minute=40),
        },
    }

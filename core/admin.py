"""core's admin: the outbox (core/outbox/admin.py)."""

from core.outbox import admin as outbox_admin  # noqa: F401

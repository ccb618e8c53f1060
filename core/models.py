"""core's models: the outbox (core/outbox/models.py)."""

from core.outbox.models import OutboxMessage

__all__ = ["OutboxMessage"]

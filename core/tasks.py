"""Celery finds core's tasks here; each lives beside its service."""

from core.outbox.tasks import outbox_send  # noqa: F401

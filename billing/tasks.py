"""Celery finds the tasks here; each lives beside its service."""

from billing.payments.tasks import payments_reconcile_pending  # noqa: F401

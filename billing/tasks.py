"""Celery finds the tasks here; each lives beside its service."""

from billing.documents.tasks import document_render  # noqa: F401
from billing.payments.tasks import payments_reconcile_pending  # noqa: F401

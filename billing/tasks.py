"""Celery finds the tasks here; each lives beside its service."""

from billing.documents.tasks import document_email_send, document_emails_send_pending  # noqa: F401
from billing.payments.tasks import payments_reconcile_pending  # noqa: F401

"""Thin tasks: a service call out."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def payments_reconcile_pending():
    return services.payments_reconcile_pending()

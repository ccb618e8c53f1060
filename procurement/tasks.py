"""Thin tasks: a service call out."""

from celery import shared_task

from .services import quotes, supplier_orders


@shared_task(acks_late=True)
def quotes_expire():
    return quotes.quotes_expire()


@shared_task(acks_late=True)
def supplier_orders_digest():
    return supplier_orders.supplier_orders_digest()

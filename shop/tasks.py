from celery import shared_task

from . import alerts
from . import housekeeping as services


@shared_task(acks_late=True)
def housekeeping():
    return services.housekeeping_run()


@shared_task
def ping(value):
    """Round trip used by the health check and the worker test."""
    return {"pong": value}


@shared_task(acks_late=True)
def product_alerts_send():
    return alerts.product_alerts_send()

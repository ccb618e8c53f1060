from celery import shared_task

from . import housekeeping as services


@shared_task(acks_late=True)
def housekeeping():
    return services.housekeeping_run()


@shared_task
def ping(value):
    """Round trip used by the health check and the worker test."""
    return {"pong": value}

from celery import shared_task

from returns.services.digest import refunds_late_digest


@shared_task(acks_late=True)
def returns_refunds_digest() -> int:
    """Daily: staff are emailed the returns past their refund deadline."""
    return refunds_late_digest()

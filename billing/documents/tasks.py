"""Thin tasks: ids in, a service call out."""

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def document_email_send(self, email_id):
    from .emails import document_email_send as send

    send(email_id=email_id)


@shared_task(acks_late=True)
def document_emails_send_pending():
    from .emails import document_emails_send_pending as sweep

    return sweep()

"""The outbox's one delivery task: ids in (or none: what is due), a service
call out. Beat runs it every minute for what is still pending."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]  # (Celery ships no types)
def outbox_send(message_ids: list[int] | None = None) -> int:
    return services.messages_send_due(message_ids=message_ids)

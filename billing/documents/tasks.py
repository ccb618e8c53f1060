"""Thin tasks: ids in, a service call out. Beat runs ``document_render``
every minute for the documents still without their PDF."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)  # type: ignore[untyped-decorator]  # (Celery ships no types)
def document_render(document_ids: list[int] | None = None) -> int:
    return services.documents_render_pending(document_ids=document_ids)

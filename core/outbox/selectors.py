"""Reading the outbox: what was sent about an object."""

from django.db.models import Model, Q, QuerySet

from .models import OutboxMessage


def outbox_ref(obj: Model | None) -> str:
    """``"<app_label>.<model>:<pk>"``: how a message names what it is about."""
    return f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else ""


def messages_about(obj: Model | None) -> QuerySet[OutboxMessage]:
    """The messages about ``obj`` or caused by it, oldest first."""
    ref = outbox_ref(obj)
    return OutboxMessage.objects.filter(Q(topic=ref) | Q(ref=ref))

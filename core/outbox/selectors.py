"""Reading the outbox: what was sent about an object."""

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from .models import OutboxMessage


def outbox_ref(obj: Model | None) -> str:
    """``"<app_label>.<model>:<pk>"``: how a message names what it is about."""
    return f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else ""


def messages_about(obj: Model | None) -> QuerySet[OutboxMessage]:
    """The messages about ``obj`` or caused by it, oldest first."""
    ref = outbox_ref(obj)
    return OutboxMessage.objects.filter(Q(topic=ref) | Q(ref=ref))


def outbox_object(ref: str) -> Model | None:
    """What ``ref`` (``"<app_label>.<model>:<pk>"``, see ``outbox_ref``)
    names, read through the apps registry (core imports no app); None when
    the text is no such reference or the object is gone."""
    label, _, pk = (ref or "").partition(":")
    if not pk:
        return None
    try:
        model = apps.get_model(label)
        found: Model = model._default_manager.get(pk=pk)
    except (LookupError, ValueError, ObjectDoesNotExist):
        return None
    return found

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model


def update_in_groups(model: type[Model], objects: Iterable[Model], fields: Sequence[str]) -> None:
    """Save ``fields`` of many objects with one UPDATE per distinct set of
    values. Batch moves mostly write the same values (status, zero held
    units), where this is far cheaper than ``bulk_update``'s CASE clauses."""
    groups: defaultdict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for obj in objects:
        groups[tuple(getattr(obj, field) for field in fields)].append(obj.pk)
    for values, pks in groups.items():
        model._default_manager.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))

from collections import defaultdict


def update_in_groups(model, objects, fields) -> None:
    """Save ``fields`` of many objects with one UPDATE per distinct set of
    values. Batch moves mostly write the same values (status, zero held
    units), where this is far cheaper than ``bulk_update``'s CASE clauses."""
    groups = defaultdict(list)
    for obj in objects:
        groups[tuple(getattr(obj, field) for field in fields)].append(obj.pk)
    for values, pks in groups.items():
        model.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))

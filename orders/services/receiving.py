"""Goods bought from suppliers for an order's lines arrive: procurement
tells the orders app here, so that "every unit in hand" (the rule of
``order_start_picking``) counts quoted lines too."""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from orders.exceptions import OrderError

from .transitions import lock_order

Line = get_model("order", "Line")


def order_lines_received(*, order_id: int, quantities: dict[int, int]) -> list:
    """Count received units down from what the lines await
    (``{line_id: units}``); returns the lines still awaiting something.
    Receiving more than awaited is capped: the surplus stays in the shop."""
    with transaction.atomic():
        order = lock_order(order_id)
        lines = {
            line.pk: line
            for line in Line.objects.filter(order=order, pk__in=quantities).order_by("pk")
        }
        unknown = set(quantities) - set(lines)
        if unknown:
            raise OrderError(
                _("Order %(number)s has no line %(lines)s.")
                % {"number": order.number, "lines": ", ".join(map(str, sorted(unknown)))}
            )
        for line_id, units in quantities.items():
            if units < 0:
                raise OrderError(_("A quantity received cannot be negative."))
            line = lines[line_id]
            line.num_awaited = max(line.num_awaited - units, 0)
        Line.objects.bulk_update(lines.values(), ["num_awaited"])
        return list(Line.objects.filter(order=order, num_awaited__gt=0).order_by("pk"))

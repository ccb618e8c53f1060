"""The order states and the only moves between them (DESIGN.md, "The order
state machine"). Kept free of model imports: models and forms read it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    NEW = "new", _("New")
    RESERVED = "reserved", _("Reserved")
    IN_PROGRESS = "in_progress", _("In progress")
    PICKING = "picking", _("Picking")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.NEW: frozenset({OrderStatus.RESERVED, OrderStatus.CANCELLED}),
    OrderStatus.RESERVED: frozenset(
        {OrderStatus.NEW, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}
    ),
    OrderStatus.IN_PROGRESS: frozenset({OrderStatus.PICKING, OrderStatus.CANCELLED}),
    OrderStatus.PICKING: frozenset({OrderStatus.SHIPPED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# A customer may cancel only before their manager starts on the order.
CUSTOMER_CANCELLABLE = frozenset({OrderStatus.NEW, OrderStatus.RESERVED})
# While nothing is paid, the customer may still change these.
EDITABLE = frozenset({OrderStatus.NEW, OrderStatus.RESERVED})
# Still waiting for the customer or their money: deadlines apply.
OPEN_UNSHIPPED = frozenset({OrderStatus.NEW, OrderStatus.RESERVED, OrderStatus.IN_PROGRESS})

# Oscar's view of the pipeline: every state, and no move from any, so its
# dashboard lists states but cannot change them (see settings).
OSCAR_PIPELINE = {str(status): [] for status in OrderStatus.values}

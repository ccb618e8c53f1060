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


S = OrderStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.RESERVED, S.CANCELLED}),
    S.RESERVED: frozenset({S.NEW, S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.PICKING, S.CANCELLED}),
    S.PICKING: frozenset({S.SHIPPED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}

# A customer may cancel only before their manager starts on the order.
CUSTOMER_CANCELLABLE = frozenset({S.NEW, S.RESERVED})
# While nothing is paid, the customer may still change these.
EDITABLE = frozenset({S.NEW, S.RESERVED})

# Payment methods settled after the order goes on: with nothing to accept,
# such an order confirms itself at reservation (card and PayPal orders wait
# for their payment instead).
PAY_LATER_METHODS = frozenset({"transfer", "cheque", "counter", "mandate"})
BANK_TRANSFER = "transfer"
MANDATE = "mandate"

# Oscar's view of the pipeline: every state, and no move from any, so its
# dashboard lists states but cannot change them (see settings).
OSCAR_PIPELINE = {str(status): [] for status in OrderStatus.values}

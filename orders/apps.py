from django.utils.translation import gettext_lazy as _
from oscar.apps.order import apps


class OrderConfig(apps.OrderConfig):
    """Oscar's order app, forked: the order state machine lives here."""

    name = "orders"
    label = "order"
    verbose_name = _("Orders")

    def ready(self):
        super().ready()
        # Registers the outbox renderer of an order's moves.
        from orders.services import notifications  # noqa: F401

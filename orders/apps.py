from django.utils.translation import gettext_lazy as _
from oscar.apps.order import apps


class OrderConfig(apps.OrderConfig):
    """Oscar's order app, forked: the order state machine lives here."""

    name = "orders"
    label = "order"
    verbose_name = _("Orders")

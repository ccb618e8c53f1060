from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """After-sales: returns (RMA), refunds on time, claims after delivery."""

    name = "returns"
    verbose_name = _("Returns and claims")

    def ready(self):
        from returns.admin import order_admin_extend

        # The order's admin page lists its returns and claims through
        # core.admin's extension point: orders' admin does not import returns.
        order_admin_extend()

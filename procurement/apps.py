from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    """Quote requests, suppliers and their offers, quotes, purchase orders,
    orders to suppliers and goods receipt."""

    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from . import receivers  # noqa: F401

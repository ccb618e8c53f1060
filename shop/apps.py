from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """The project itself: pages, housekeeping and the Celery app."""

    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from . import checks  # noqa: F401
        from .admin import unregister_unused

        unregister_unused()

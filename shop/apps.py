from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """The project itself: pages, housekeeping and the Celery app."""

    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from . import checks  # noqa: F401
        from .admin import category_list_accepts_any_post, records_read_only, unregister_unused
        from .admin_widgets import autocomplete_tolerates_forged_values

        unregister_unused()
        records_read_only()
        category_list_accepts_any_post()
        autocomplete_tolerates_forged_values()

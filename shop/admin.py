"""The admin site's branding, and the Oscar models Comptoir does not use taken
off the admin index (their tables stay; nothing of ours reads or writes them
through the admin)."""

from contextlib import suppress

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

admin.site.site_header = format_lazy(_("{shop} administration"), shop=settings.OSCAR_SHOP_NAME)
admin.site.site_title = admin.site.site_header
admin.site.index_title = _("Back office")

# Payments are billing.Payment; wish lists and analytics are not managed by staff.
UNUSED = [
    ("payment", "Bankcard"),
    ("payment", "Source"),
    ("payment", "SourceType"),
    ("payment", "Transaction"),
    ("wishlists", "WishList"),
    ("wishlists", "Line"),
    ("wishlists", "WishListSharedEmail"),
    ("analytics", "ProductRecord"),
    ("analytics", "UserRecord"),
    ("analytics", "UserProductView"),
    ("analytics", "UserSearch"),
]


def unregister_unused():
    """Called from ShopConfig.ready(): the admin's autodiscovery imports this
    module before the admin modules of Oscar's apps listed after ours."""
    for app_label, model_name in UNUSED:
        with suppress(LookupError, NotRegistered):
            admin.site.unregister(get_model(app_label, model_name))

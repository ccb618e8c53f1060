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
    # Offers' conditions and benefits are proxies chosen by type: only Oscar's
    # dashboard builds them whole (the admin's empty "add" was a 500).
    ("offer", "Condition"),
    ("offer", "Benefit"),
]


# Records the shop writes by itself: shown, never added or edited by hand
# (their admin "add" saved or rendered a row without its parent: 500s
# found by the fuzz tests).
RECORDS = [
    ("voucher", "VoucherApplication"),
    ("basket", "Line"),
    ("basket", "LineAttribute"),
    ("reviews", "Vote"),
]


# Made where they belong (an account's address book, by its owner), never
# added in the admin: the add form has no owner (a 500 found by the fuzz tests).
NOT_ADDED = [("address", "UserAddress")]


def records_read_only():
    """Called from ShopConfig.ready(), like unregister_unused()."""
    for app_label, model_name in RECORDS + NOT_ADDED:
        with suppress(LookupError):
            model = get_model(app_label, model_name)
            registered = admin.site._registry.get(model)
            if registered is None:
                continue
            admin.site.unregister(model)
            read_only = type(
                f"ReadOnly{type(registered).__name__}",
                (type(registered),),
                {
                    "has_add_permission": lambda self, request: False,
                    **(
                        {"has_change_permission": lambda self, request, obj=None: False}
                        if (app_label, model_name) in RECORDS
                        else {}
                    ),
                },
            )
            admin.site.register(model, read_only)


def category_list_accepts_any_post():
    """Treebeard's admin list reads the tree level it set up for a GET; a
    POST without an action (a stale or forged page) then fell over (a 500
    found by the fuzz tests): a POST lists the top level, like a GET."""
    with suppress(LookupError):
        model = get_model("catalogue", "Category")
        registered = admin.site._registry.get(model)
        if registered is None:
            return

        class CategoryAdmin(type(registered)):
            def changelist_view(self, request, extra_context=None):
                if not hasattr(request, "_treebeard_parent_id"):
                    request._treebeard_parent_id = None
                return super().changelist_view(request, extra_context)

        admin.site.unregister(model)
        admin.site.register(model, CategoryAdmin)


def unregister_unused():
    """Called from ShopConfig.ready(): the admin's autodiscovery imports this
    module before the admin modules of Oscar's apps listed after ours."""
    for app_label, model_name in UNUSED:
        with suppress(LookupError, NotRegistered):
            admin.site.unregister(get_model(app_label, model_name))

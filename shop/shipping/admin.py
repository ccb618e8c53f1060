from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.admin import *  # noqa: F403

from .models import DeliveryBand, DeliveryMethod, PickupLocation


class DeliveryBandInline(admin.TabularInline):
    model = DeliveryBand
    extra = 0


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "code",
        "price_incl_tax",
        "free_from_incl_tax",
        "is_active",
        "position",
    )
    list_editable = ("is_active", "position")
    inlines = [DeliveryBandInline]
    fieldsets = [
        (None, {"fields": ("code", "label", "delivery_time", "is_active", "position")}),
        (_("Price"), {"fields": ("price_incl_tax", "free_from_incl_tax")}),
        (
            _("Price bands"),
            {
                "fields": ("band_basis", "default_weight"),
                "description": _(
                    "Optional: with bands, the price is the first band whose upper limit "
                    "the basket reaches; beyond the top band, the top band's price."
                ),
            },
        ),
    ]


@admin.register(PickupLocation)
class PickupLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "opening_hours", "is_active", "position")
    list_editable = ("is_active", "position")

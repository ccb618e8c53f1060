from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.admin import *  # noqa: F403

from .models import CustomerProfile, LegalEntity


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "manager", "mobile", "sms_opt_in")
    list_filter = ("manager", "sms_opt_in")
    search_fields = ("user__email", "user__last_name", "mobile")
    autocomplete_fields = ("user",)


@admin.register(LegalEntity)
class LegalEntityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "siret", "user", "verified_at")
    list_filter = ("kind", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "siret", "vat_number", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("verified_at", "verified_by", "created_at")
    actions = ("mark_verified",)

    @admin.action(description=_("Mark as verified public institution"))
    def mark_verified(self, request, queryset):
        count = queryset.filter(kind=LegalEntity.Kind.PUBLIC_BODY, verified_at=None).update(
            verified_at=timezone.now(), verified_by=request.user
        )
        self.message_user(request, _("%(count)d institution(s) verified.") % {"count": count})

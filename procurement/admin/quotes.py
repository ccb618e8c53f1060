"""A request line's supplier offers (reached from its request, frozen once
the quote is sent), and the sent quotes and customers' purchase orders,
read-only in the admin."""

from django.contrib import admin

from core.admin import ReadOnlyInline
from procurement.models import PurchaseOrder, Quote, QuoteLine, QuoteRequestLine, SupplierOffer

from .base import COMPACT_WIDGETS, frozen


class SupplierOfferInline(admin.TabularInline):
    model = SupplierOffer
    extra = 2
    fields = (
        "supplier",
        "supplier_reference",
        "unit_cost",
        "currency",
        "exchange_rate",
        "quantity_available",
        "lead_time_days",
        "shipping_cost",
        "valid_until",
        "note",
    )
    autocomplete_fields = ("supplier",)
    formfield_overrides = COMPACT_WIDGETS

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None and frozen(obj.request) else ()

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and frozen(obj.request))

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and frozen(obj.request))


@admin.register(QuoteRequestLine)
class QuoteRequestLineAdmin(admin.ModelAdmin):
    """A request line, to add its supplier offers."""

    list_display = ("__str__", "request", "quantity", "wished_date", "chosen_offer")
    search_fields = ("request__number", "part_number", "description")
    fields = (
        "request",
        "position",
        "manufacturer",
        "part_number",
        "supplier_reference",
        "description",
        "quantity",
        "wished_date",
        "category",
        "margin",
        "chosen_offer",
    )
    readonly_fields = ("request", "chosen_offer")
    inlines = (SupplierOfferInline,)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None and frozen(obj.request) else self.readonly_fields

    def has_module_permission(self, request):
        return False  # reached from its request

    def has_add_permission(self, request):
        return False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for offer in instances:
            offer.created_by = offer.created_by or request.user
            offer.save()
        for offer in formset.deleted_objects:
            offer.delete()

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return self._redirect_to_request(obj)
        return super().response_change(request, obj)

    def _redirect_to_request(self, obj):
        from django.shortcuts import redirect

        return redirect("admin:procurement_quoterequest_change", obj.request_id)


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    fields = (
        "position",
        "title",
        "reference",
        "quantity",
        "unit_cost",
        "margin",
        "unit_price_excl_tax",
        "line_price_excl_tax",
        "lead_time_days",
    )


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "request",
        "total_excl_tax",
        "total_incl_tax",
        "valid_until",
        "sent_at",
        "order",
    )
    search_fields = ("number", "request__number", "request__email")
    list_select_related = ("request", "order")
    readonly_fields = [f.name for f in Quote._meta.fields]
    inlines = (QuoteLineInline,)

    def has_add_permission(self, request):
        return False  # quotes are sent from their request

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "quote", "original_name", "pages", "uploaded_at")
    search_fields = ("number", "quote__number")
    readonly_fields = [f.name for f in PurchaseOrder._meta.fields]

    def has_add_permission(self, request):
        return False

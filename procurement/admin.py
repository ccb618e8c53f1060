"""Staff work on procurement in the Django admin: requests by state and
age, suppliers, offers per request line, quotes, supplier orders and goods
receipt. Actions call procurement.services; the admin holds no rule."""

from django.contrib import admin

from . import models as m


class QuoteRequestLineInline(admin.TabularInline):
    model = m.QuoteRequestLine
    extra = 0
    fields = (
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
    raw_id_fields = ("chosen_offer",)


class RequestFileInline(admin.TabularInline):
    model = m.RequestFile
    extra = 0
    can_delete = False
    fields = ("original_name", "content_type", "size", "line", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class QuoteRequestNoteInline(admin.TabularInline):
    model = m.QuoteRequestNote
    extra = 1
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")


class QuoteRequestEventInline(admin.TabularInline):
    model = m.QuoteRequestEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_state", "to_state", "by", "source", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.QuoteRequest)
class QuoteRequestAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "contact_name",
        "organisation_name",
        "state",
        "claimed_by",
        "created_at",
    )
    list_filter = ("state", "claimed_by", "created_at")
    search_fields = ("number", "email", "contact_name", "organisation_name", "lines__part_number")
    date_hierarchy = "created_at"
    readonly_fields = ("number", "state", "claimed_by", "claimed_at", "created_at", "updated_at")
    raw_id_fields = ("user", "legal_entity")
    inlines = (
        QuoteRequestLineInline,
        RequestFileInline,
        QuoteRequestNoteInline,
        QuoteRequestEventInline,
    )


@admin.register(m.Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_name", "email", "lead_time_days", "minimum_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_name", "email")


@admin.register(m.SupplierOffer)
class SupplierOfferAdmin(admin.ModelAdmin):
    list_display = (
        "line",
        "supplier",
        "supplier_reference",
        "unit_cost",
        "currency",
        "lead_time_days",
        "shipping_cost",
        "valid_until",
    )
    list_filter = ("supplier",)
    raw_id_fields = ("line",)
    search_fields = ("supplier_reference", "line__request__number")


class QuoteLineInline(admin.TabularInline):
    model = m.QuoteLine
    extra = 0
    can_delete = False
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
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "request",
        "total_excl_tax",
        "total_incl_tax",
        "valid_until",
        "sent_at",
    )
    search_fields = ("number", "request__number", "request__email")
    raw_id_fields = ("request", "order")
    readonly_fields = ("token", "sent_at", "sent_by", "accepted_at", "declined_at", "expired_at")
    inlines = (QuoteLineInline,)


@admin.register(m.PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "quote", "original_name", "uploaded_at")
    search_fields = ("number", "quote__number")
    readonly_fields = ("quote", "token", "file", "original_name", "size", "pages", "sha256")


class SupplierOrderLineInline(admin.TabularInline):
    model = m.SupplierOrderLine
    extra = 0
    fields = ("title", "supplier_reference", "quantity", "unit_cost", "quantity_received")
    readonly_fields = ("quantity_received",)


@admin.register(m.SupplierOrder)
class SupplierOrderAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "supplier",
        "order",
        "state",
        "supplier_order_number",
        "expected_on",
        "created_at",
    )
    list_filter = ("state", "supplier")
    search_fields = ("supplier_order_number", "tracking_number", "order__number")
    raw_id_fields = ("order",)
    inlines = (SupplierOrderLineInline,)


class GoodsReceiptLineInline(admin.TabularInline):
    model = m.GoodsReceiptLine
    extra = 0
    fields = ("supplier_order_line", "quantity", "matches", "note")


@admin.register(m.GoodsReceipt)
class GoodsReceiptAdmin(admin.ModelAdmin):
    list_display = ("pk", "supplier_order", "received_at", "received_by")
    raw_id_fields = ("supplier_order",)
    inlines = (GoodsReceiptLineInline,)

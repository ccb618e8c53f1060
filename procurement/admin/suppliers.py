"""Suppliers, orders to suppliers and goods receipt in the admin."""

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyInline
from procurement.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    Supplier,
    SupplierOrder,
    SupplierOrderLine,
    SupplierOrderState,
)
from procurement.services import supplier_orders

from .base import staff_step
from .forms import InTransitForm, NoteForm, OrderedForm, ReceiptForm, received_lines


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "contact_name",
        "email",
        "phone",
        "lead_time_days",
        "minimum_order",
        "shipping_cost",
        "free_shipping_from",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "contact_name", "email")


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("delay")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("Late"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                state__in=supplier_orders.OPEN_STATES, expected_on__lt=timezone.localdate()
            )
        return queryset


class SupplierOrderLineInline(ReadOnlyInline):
    model = SupplierOrderLine
    fields = ("title", "supplier_reference", "quantity", "unit_cost", "quantity_received")


class GoodsReceiptInline(ReadOnlyInline):
    model = GoodsReceipt
    fields = ("received_at", "received_by", "note")
    show_change_link = True


@admin.register(SupplierOrder)
class SupplierOrderAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "supplier",
        "order",
        "state",
        "supplier_order_number",
        "tracking_number",
        "expected_on",
        "late",
    )
    list_filter = ("state", OverdueFilter, "supplier")
    list_select_related = ("supplier", "order")
    search_fields = ("supplier_order_number", "tracking_number", "order__number", "supplier__name")
    readonly_fields = (
        "supplier",
        "order",
        "state",
        "supplier_order_number",
        "tracking_number",
        "ordered_at",
        "received_at",
        "created_at",
        "created_by",
        "note",
    )
    fields = (*readonly_fields[:6], "expected_on", *readonly_fields[6:])
    inlines = (SupplierOrderLineInline, GoodsReceiptInline)
    change_form_template = "admin/procurement/supplierorder/change_form.html"

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def late(self, supplier_order):
        return bool(
            supplier_order.state in supplier_orders.OPEN_STATES
            and supplier_order.expected_on
            and supplier_order.expected_on < timezone.localdate()
        )

    def has_add_permission(self, request):
        return False  # made from a customer order (its quote request page)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/ordered/", view(self.ordered_view), name="procurement_so_ordered"),
            path("<int:pk>/transit/", view(self.transit_view), name="procurement_so_transit"),
            path("<int:pk>/problem/", view(self.problem_view), name="procurement_so_problem"),
            path("<int:pk>/receive/", view(self.receive_view), name="procurement_so_receive"),
            *super().get_urls(),
        ]

    def _step(self, request, pk, title, form_class, call, **form_kwargs):
        supplier_order = get_object_or_404(SupplierOrder.objects.select_related("supplier"), pk=pk)
        return staff_step(
            self,
            request,
            supplier_order,
            title=f"{supplier_order}: {title}",
            form_class=form_class,
            call=call,
            back=reverse("admin:procurement_supplierorder_change", args=[pk]),
            form_kwargs=form_kwargs,
        )

    def ordered_view(self, request, pk):
        return self._step(
            request,
            pk,
            _("ordered"),
            OrderedForm,
            lambda data: (
                supplier_orders.supplier_order_mark_ordered(
                    supplier_order_id=pk, by=request.user, **data
                )
                and _("Marked as ordered.")
            ),
        )

    def transit_view(self, request, pk):
        return self._step(
            request,
            pk,
            _("in transit"),
            InTransitForm,
            lambda data: (
                supplier_orders.supplier_order_mark_in_transit(
                    supplier_order_id=pk, by=request.user, **data
                )
                and _("Marked as in transit.")
            ),
        )

    def problem_view(self, request, pk):
        return self._step(
            request,
            pk,
            _("problem"),
            NoteForm,
            lambda data: (
                supplier_orders.supplier_order_mark_problem(
                    supplier_order_id=pk, by=request.user, **data
                )
                and _("Problem recorded.")
            ),
        )

    def receive_view(self, request, pk):
        lines = SupplierOrderLine.objects.filter(supplier_order_id=pk).order_by("pk")

        def receive(data):
            supplier_orders.goods_receipt_record(
                supplier_order_id=pk,
                by=request.user,
                lines=received_lines(lines, data),
                note=data["note"],
            )
            return _("Goods receipt recorded.")

        return self._step(request, pk, _("goods receipt"), ReceiptForm, receive, lines=lines)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        supplier_order = self.get_object(request, object_id)
        if supplier_order is None:  # the admin's own "does not exist" (not a 500)
            return super().change_view(request, object_id, form_url, extra_context)
        allowed = supplier_orders.SUPPLIER_ORDER_TRANSITIONS[supplier_order.state]
        steps = [
            (url, label)
            for state, url, label in (
                (SupplierOrderState.ORDERED, "admin:procurement_so_ordered", _("Mark ordered")),
                (
                    SupplierOrderState.IN_TRANSIT,
                    "admin:procurement_so_transit",
                    _("Mark in transit"),
                ),
                (
                    SupplierOrderState.RECEIVED,
                    "admin:procurement_so_receive",
                    _("Record goods receipt"),
                ),
                (SupplierOrderState.PROBLEM, "admin:procurement_so_problem", _("Report a problem")),
            )
            if state in allowed
        ]
        extra_context = {
            **(extra_context or {}),
            "steps": [(reverse(url, args=[supplier_order.pk]), label) for url, label in steps],
        }
        return super().change_view(request, object_id, form_url, extra_context)


class GoodsReceiptLineInline(ReadOnlyInline):
    model = GoodsReceiptLine
    fields = ("supplier_order_line", "quantity", "matches", "note")


@admin.register(GoodsReceipt)
class GoodsReceiptAdmin(admin.ModelAdmin):
    list_display = ("pk", "supplier_order", "received_at", "received_by")
    list_select_related = ("supplier_order__supplier", "received_by")
    readonly_fields = ("supplier_order", "received_at", "received_by", "note")
    inlines = (GoodsReceiptLineInline,)

    def has_add_permission(self, request):
        return False  # recorded from the supplier order

    def has_delete_permission(self, request, obj=None):
        return False

"""Staff run orders from the admin: the list filtered by state, manager,
payment and overdue reservations; each order offers only its legal next
moves, each through the same service a customer or a job would use."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.admin import *  # noqa: F403
from oscar.core.loading import get_model

from core.admin import CappedCountPaginator, ExtensibleAdmin
from core.audit import AUDIT_FIELDS, source_label
from core.money import rate_percent
from core.outbox.admin import messages_table
from core.payment_methods import payment_method_label

from .amounts import line_gross, order_line_rate
from .exceptions import OrderError
from .forms import CancelForm, ShipForm, TransitionForm
from .selectors import SEARCH_COUNT_CAP, order_deadline, order_picking_refusal, orders_search
from .services import transitions as t
from .statuses import OrderStatus

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderTransition = get_model("order", "OrderTransition")

# What each move is called on its button, its form, and the service doing it.
MOVES = {
    OrderStatus.RESERVED: (_("Reserve stock"), TransitionForm, t.order_reserve),
    OrderStatus.IN_PROGRESS: (_("Confirm"), TransitionForm, t.order_confirm),
    OrderStatus.PICKING: (_("Start picking"), TransitionForm, t.order_start_picking),
    OrderStatus.SHIPPED: (_("Ship"), ShipForm, t.order_ship),
    OrderStatus.DELIVERED: (_("Mark delivered"), TransitionForm, t.order_deliver),
    OrderStatus.CANCELLED: (_("Cancel the order"), CancelForm, t.order_cancel),
}


class StatusFilter(admin.SimpleListFilter):
    """The states, from the state machine. Oscar's status has no choices, so
    Django's filter listed the values found with a DISTINCT over every order
    (1.5 s at a million orders, on every list page). Same parameter as
    Django's, so links keep working."""

    title = _("status")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return OrderStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class PaymentFilter(admin.SimpleListFilter):
    title = _("payment")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("yes", _("Paid")), ("no", _("Not paid"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(paid_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(paid_at__isnull=True)
        return queryset


class OverdueReservationFilter(admin.SimpleListFilter):
    title = _("reservation")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                Q(status=OrderStatus.RESERVED) & Q(reserved_until__lt=timezone.now())
            )
        return queryset


class ManagerFilter(admin.RelatedFieldListFilter):
    """The personal managers: staff only (Django's filter lists every user,
    fifty thousand customers at scale)."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"is_staff": True},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class OrderLineInline(admin.TabularInline):
    model = Line
    extra = 0
    can_delete = False
    fields = (
        "title",
        "upc",
        "quantity",
        "num_allocated",
        "to_order",
        "lead_time_days",
        "unit_price_excl_tax",
        "line_price_excl_tax",
        "vat_rate",
        "price_incl_vat",
    )
    readonly_fields = fields

    @admin.display(description=_("line price incl. VAT"))
    def price_incl_vat(self, line):
        """Display only: display_gross(line net, rate), as the customer reads it."""
        return line_gross(line)

    @admin.display(description=_("VAT rate"))
    def vat_rate(self, line):
        return f"{formats.localize(rate_percent(order_line_rate(line)))}\u00a0%"

    @admin.display(description=_("to order"))
    def to_order(self, line):
        return line.num_to_order

    def has_add_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = OrderTransition
    extra = 0
    can_delete = False
    # The states show their labels (their choices); the source, translated.
    fields = tuple("source_label" if name == "source" else name for name in AUDIT_FIELDS)
    readonly_fields = fields

    @admin.display(description=_("source"))
    def source_label(self, transition):
        return source_label(transition.source)

    def has_add_permission(self, request, obj=None):
        return False


class ComptoirOrderAdmin(ExtensibleAdmin):
    """Apps above add to this page through core.admin.admin_extension("order.Order")
    (billing: the payments, the documents and their buttons)."""

    list_display = (
        "number",
        "date_placed",
        "customer",
        "status_label",
        "manager",
        "payment_method_label",
        "paid",
        "total_incl_tax",
        "deadline",
    )
    # Billing adds the payment-method filter (the methods on offer). The
    # dates are a filter, not Django's date hierarchy, whose year and month
    # links read every order's date (a full scan at scale: bench/README.md).
    list_filter = (
        StatusFilter,
        ("manager", ManagerFilter),
        PaymentFilter,
        OverdueReservationFilter,
        ("date_placed", admin.DateFieldListFilter),
    )
    list_select_related = ("user", "manager")
    # Number prefix, emails, customer's names: see get_search_results.
    search_fields = ("number", "user__email", "guest_email", "user__last_name", "user__first_name")
    # A million orders: count up to 10 000 only, never the whole table.
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ("user",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "status_label",
                    "date_placed",
                    "user",
                    "guest_email",
                    "manager",
                )
            },
        ),
        (
            _("Payment"),
            {
                "fields": (
                    "payment_method_label",
                    "paid_at",
                    "total_excl_tax",
                    "vat_table",
                    "total_incl_tax",
                ),
                "extension_slot": "payment",
            },
        ),
        (
            _("Reservation and shipping"),
            {
                "fields": (
                    "deadline",
                    "confirmation_required",
                    "shipping_method",
                    "carrier",
                    "tracking_number",
                    "ready_for_pickup",
                )
            },
        ),
        (
            _("Notifications"),
            {"fields": ("language", "notify_phone", "sms_opt_in", "outbox_messages")},
        ),
    )
    # The state and what the state machine sets change only through moves.
    readonly_fields = (
        "number",
        "status_label",
        "date_placed",
        "paid_at",
        "total_incl_tax",
        "total_excl_tax",
        "deadline",
        "confirmation_required",
        "carrier",
        "tracking_number",
        "ready_for_pickup",
        "payment_method_label",
        "outbox_messages",
        "vat_table",
    )
    inlines = [OrderLineInline, TransitionInline]
    change_form_template = "admin/order/order/change_form.html"

    def save_model(self, request, obj, form, change):
        # Only what the form changed: a whole-row save would write back the
        # state as it was read, undoing a move made meanwhile.
        obj.save(update_fields=form.changed_data or None)

    @admin.display(description=_("messages sent"))
    def outbox_messages(self, order):
        return messages_table(order)

    @admin.display(description=_("customer"), ordering="user__email")
    def customer(self, order):
        return order.email

    # Oscar's status and our payment_method are plain CharFields: show labels.
    @admin.display(description=_("status"), ordering="status")
    def status_label(self, order):
        return (
            OrderStatus(order.status).label if order.status in OrderStatus.values else order.status
        )

    @admin.display(description=_("payment method"), ordering="payment_method")
    def payment_method_label(self, order):
        return payment_method_label(order.payment_method) or "–"

    # The one deadline the customer is told (orders.selectors.order_deadline).
    @admin.display(description=_("deadline"), ordering="reserved_until")
    def deadline(self, order):
        deadline = order_deadline(order)
        if deadline is None:
            return "–"
        return date_format(timezone.localtime(deadline), "DATETIME_FORMAT")

    @admin.display(description=_("VAT breakdown"))
    def vat_table(self, order):
        """The order's totals by VAT rate (core.money), as its invoice prints them."""
        rows = render_to_string(
            "orders/partials/order_totals_rows.html",
            {"order": order, "label_span": 1, "amount_span": 1},
        )
        return mark_safe(f'<table class="order-vat-table">{rows}</table>')

    @admin.display(description=_("paid"), boolean=True, ordering="paid_at")
    def paid(self, order):
        return order.is_paid

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        if request.GET.get(SEARCH_VAR, "").strip():
            # A common name's orders are spread over the whole table: counting
            # 10 000 of them reads a quarter of it (bench/README.md, "The
            # admin's search by a common name"); a search narrows, not pages.
            paginator.cap = SEARCH_COUNT_CAP
        return paginator

    def get_search_results(self, request, queryset, search_term):
        """Django's search ORs ``icontains`` over the order and its customer:
        a scan of every order. orders_search asks what indexes can answer."""
        if not search_term.strip():
            return queryset, False
        return orders_search(queryset, text=search_term), False

    def has_add_permission(self, request):
        return False  # orders come from checkout and accepted quotes

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the history stays

    def get_urls(self):
        return [
            path(
                "<int:pk>/move/<str:to>/",
                self.admin_site.admin_view(self.move_view),
                name="order_order_move",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = get_object_or_404(Order, pk=object_id)
        moves, waiting = [], []
        for to in order.available_transitions():
            if to not in MOVES:  # back to "new" is the customer's edit only
                continue
            refusal = _move_refusal(order, to)
            if refusal is None:
                url = reverse("admin:order_order_move", args=[order.pk, to])
                moves.append((to, MOVES[to][0], url))
            else:
                waiting.append((MOVES[to][0], refusal))
        extra_context = {
            **(extra_context or {}),
            "moves": moves,
            "waiting_moves": waiting,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def move_view(self, request, pk, to):
        order = get_object_or_404(Order, pk=pk)
        if not self.has_change_permission(request, order) or to not in MOVES:
            raise PermissionDenied
        label, form_class, service = MOVES[to]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(order_id=order.pk, by=request.user, source=t.STAFF, **form.cleaned_data)
            except OrderError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Order %(number)s: done.") % {"number": order.number})
            return redirect("admin:order_order_change", order.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{order.number}: {label}",
            "order": order,
            "form": form,
            "label": label,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/order/order/move.html", context)


def _move_refusal(order, to: str) -> str | None:
    """Why staff cannot make the legal move ``to`` now (the service's own guard)."""
    if to == OrderStatus.PICKING:
        return order_picking_refusal(order, list(order.lines.all()))
    return None


admin.site.unregister(Order)
admin.site.register(Order, ComptoirOrderAdmin)
# Lines change with their order (inline, read-only), never on their own.
admin.site.unregister(Line)

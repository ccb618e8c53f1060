"""Quote requests in the admin: the list by state and age, claiming, notes,
the offers of each line with the best one highlighted (the change page),
and the staff steps: choosing, the price preview, sending the quote,
declining, ordering from suppliers. A line's offers, sent quotes and
purchase orders are in quotes.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ExtensibleAdmin, ReadOnlyInline
from core.audit import AUDIT_FIELDS
from procurement.exceptions import ProcurementError
from procurement.models import (
    QuoteRequest,
    QuoteRequestEvent,
    QuoteRequestLine,
    QuoteRequestNote,
    RequestFile,
    SupplierOffer,
    SupplierOrder,
)
from procurement.services import offers, pricing, quotes, requests, supplier_orders

from .base import COMPACT_WIDGETS, frozen, staff_step
from .forms import OptionalNoteForm, SendQuoteForm


class QuoteRequestLineInline(admin.StackedInline):
    """Stacked, a few fields a row: ten columns of a tabular inline made
    the page twice as wide as the screen (F9)."""

    model = QuoteRequestLine
    extra = 0
    formfield_overrides = COMPACT_WIDGETS
    fields = (
        ("position", "quantity", "wished_date"),
        ("manufacturer", "part_number", "supplier_reference"),
        "description",
        ("category", "margin", "offers_link"),
    )
    readonly_fields = ("offers_link",)
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return (
            flatten_fieldsets([(None, {"fields": self.fields})])
            if frozen(obj)
            else self.readonly_fields
        )

    def has_add_permission(self, request, obj=None):
        return not frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not frozen(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=gettext_lazy("supplier offers"))
    def offers_link(self, line):
        if not line.pk:
            return "—"
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:procurement_quoterequestline_change", args=[line.pk]),
            ngettext("%(n)d offer: add / edit", "%(n)d offers: add / edit", line.offers.count())
            % {"n": line.offers.count()},
        )


class RequestFileInline(ReadOnlyInline):
    model = RequestFile
    fields = ("original_name", "content_type", "size", "line", "uploaded_at")


class QuoteRequestNoteInline(admin.TabularInline):
    model = QuoteRequestNote
    extra = 1
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # notes are kept as written

    def has_add_permission(self, request, obj=None):
        return True


class QuoteRequestEventInline(ReadOnlyInline):
    model = QuoteRequestEvent
    fields = AUDIT_FIELDS


class MineFilter(admin.SimpleListFilter):
    title = gettext_lazy("handled by")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("nobody", _("Nobody yet"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(claimed_by=request.user)
        if self.value() == "nobody":
            return queryset.filter(claimed_by=None)
        return queryset


class QuoteRequestAdminForm(forms.ModelForm):
    class Meta:
        model = QuoteRequest
        fields = ("contact_name", "organisation_name", "email", "phone", "message", "language")
        # The account's organisation (legal_entity) is "organisation" too.
        labels = {"organisation_name": gettext_lazy("organisation name typed by the customer")}


@admin.register(QuoteRequest)
class QuoteRequestAdmin(ExtensibleAdmin):
    form = QuoteRequestAdminForm
    list_display = (
        "number",
        "contact_name",
        "organisation_name",
        "state",
        "age",
        "n_lines",
        "claimed_by",
        "created_at",
    )
    list_filter = ("state", MineFilter, "claimed_by", "created_at")
    list_select_related = ("claimed_by",)
    search_fields = (
        "number",
        "email",
        "contact_name",
        "organisation_name",
        "lines__part_number",
        "lines__description",
    )
    date_hierarchy = "created_at"
    ordering = ("created_at",)  # oldest first: the queue
    fieldsets = (
        (None, {"fields": ("number", "state", "claimed_by", "claimed_at", "created_at")}),
        (
            gettext_lazy("Customer"),
            {
                "fields": (
                    "user",
                    "legal_entity",
                    "contact_name",
                    "organisation_name",
                    "email",
                    "phone",
                    "message",
                    "language",
                )
            },
        ),
    )
    readonly_fields = (
        "number",
        "state",
        "claimed_by",
        "claimed_at",
        "created_at",
        "user",
        "legal_entity",
    )
    inlines = (
        QuoteRequestLineInline,
        RequestFileInline,
        QuoteRequestNoteInline,
        QuoteRequestEventInline,
    )
    actions = ("claim",)
    change_form_template = "admin/procurement/quoterequest/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("lines"))

    @admin.display(description=gettext_lazy("age (days)"), ordering="created_at")
    def age(self, qr):
        return (timezone.now() - qr.created_at).days

    @admin.display(description=gettext_lazy("lines"), ordering="line_count")
    def n_lines(self, qr):
        return qr.line_count

    def has_add_permission(self, request):
        return False  # requests come from customers

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Claim the selected requests"))
    def claim(self, request, queryset):
        done = 0
        for qr in queryset:
            try:
                requests.quote_request_claim(request_id=qr.pk, by=request.user)
                done += 1
            except ProcurementError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        self.message_user(request, _("%(n)d request(s) claimed.") % {"n": done})

    def save_formset(self, request, form, formset, change):
        if formset.model is not QuoteRequestNote:
            return super().save_formset(request, form, formset, change)
        for note_form in formset.forms:
            text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
            if text and not note_form.instance.pk:
                requests.quote_request_note_add(
                    request_id=form.instance.pk, by=request.user, text=text
                )
        return None

    # --- the staff steps ------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/claim/", view(self.claim_view), name="procurement_claim"),
            path("<int:pk>/best/", view(self.best_view), name="procurement_choose_best"),
            path("offer/<int:offer_pk>/choose/", view(self.choose_view), name="procurement_choose"),
            path("<int:pk>/send/", view(self.send_view), name="procurement_send"),
            path("<int:pk>/decline/", view(self.decline_view), name="procurement_decline"),
            path(
                "<int:pk>/supplier-orders/",
                view(self.supplier_orders_view),
                name="procurement_supplier_orders",
            ),
            *super().get_urls(),
        ]

    def _back(self, pk):
        return reverse("admin:procurement_quoterequest_change", args=[pk])

    def _get(self, pk):
        return get_object_or_404(QuoteRequest, pk=pk)

    def claim_view(self, request, pk):
        qr = self._get(pk)
        return staff_step(
            self,
            request,
            qr,
            title=_("Claim %(number)s") % {"number": qr.number},
            form_class=forms.Form,
            call=lambda data: (
                requests.quote_request_claim(request_id=pk, by=request.user)
                and _("You handle %(number)s.") % {"number": qr.number}
            ),
            back=self._back(pk),
        )

    def best_view(self, request, pk):
        qr = self._get(pk)
        return staff_step(
            self,
            request,
            qr,
            title=_("Choose the best offers of %(number)s") % {"number": qr.number},
            form_class=forms.Form,
            call=lambda data: (
                _("%(n)d line(s) got the best offer.")
                % {"n": offers.offers_choose_best(request_id=pk, by=request.user)}
            ),
            back=self._back(pk),
        )

    def choose_view(self, request, offer_pk):
        offer = get_object_or_404(
            SupplierOffer.objects.select_related("line__request"), pk=offer_pk
        )
        qr = offer.line.request
        return staff_step(
            self,
            request,
            qr,
            title=_("Choose %(offer)s") % {"offer": offer},
            form_class=forms.Form,
            call=lambda data: (
                offers.offer_choose(offer_id=offer_pk, by=request.user) and _("Offer chosen.")
            ),
            back=self._back(qr.pk),
        )

    def send_view(self, request, pk):
        qr = self._get(pk)

        def send(data):
            quote = quotes.quote_send(
                request_id=pk,
                by=request.user,
                shipping=data["shipping"],
                handling_fee=data["handling_fee"],
                research_fee=data["research_fee"],
                validity_days=data["validity_days"],
            )
            return _("Quote %(number)s sent to %(email)s.") % {
                "number": quote.number,
                "email": qr.email,
            }

        return staff_step(
            self,
            request,
            qr,
            title=_("Send the quote for %(number)s") % {"number": qr.number},
            form_class=SendQuoteForm,
            call=send,
            back=self._back(pk),
        )

    def decline_view(self, request, pk):
        qr = self._get(pk)
        return staff_step(
            self,
            request,
            qr,
            title=_("Decline %(number)s (we cannot source it)") % {"number": qr.number},
            form_class=OptionalNoteForm,
            call=lambda data: (
                requests.quote_request_decline(request_id=pk, by=request.user, note=data["note"])
                and _("Declined; the customer is told.")
            ),
            back=self._back(pk),
        )

    def supplier_orders_view(self, request, pk):
        qr = self._get(pk)
        quote = getattr(qr, "quote", None)

        def create(data):
            if quote is None or quote.order_id is None:
                raise ProcurementError(_("This request has no order yet."))
            created = supplier_orders.supplier_orders_create(
                order_id=quote.order_id, by=request.user
            )
            return _("%(n)d supplier order(s) to place: %(names)s.") % {
                "n": len(created),
                "names": ", ".join(so.supplier.name for so in created),
            }

        return staff_step(
            self,
            request,
            qr,
            title=_("Order from suppliers for %(number)s") % {"number": qr.number},
            form_class=forms.Form,
            call=create,
            back=self._back(pk),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        qr = self._get(object_id)
        today = timezone.localdate()
        lines = []
        for line in qr.lines.prefetch_related("offers__supplier").select_related("chosen_offer"):
            line_offers = list(line.offers.all())
            best = pricing.best_offer(line, line_offers, today=today)
            lines.append(
                {
                    "line": line,
                    "offers": [
                        {
                            "offer": o,
                            "landed": pricing.landed_cost(o, line.quantity),
                            "arrives": pricing.arrives_by(o, today),
                            "meets": pricing.offer_meets(o, line, today),
                            "valid": pricing.offer_is_valid(o, today),
                            "best": o == best,
                            "chosen": o.pk == line.chosen_offer_id,
                        }
                        for o in line_offers
                    ],
                }
            )
        priced = pricing.price_lines(qr.lines.select_related("chosen_offer"))
        quote = getattr(qr, "quote", None)
        extra_context = {
            **(extra_context or {}),
            "qr": qr,
            "offer_lines": lines,
            "priced": priced,
            "totals": pricing.quote_totals(priced) if priced else None,
            "open_for_pricing": qr.state in offers.PRICING_STATES,
            "quote": quote,
            "supplier_orders": SupplierOrder.objects.filter(order_id=quote.order_id)
            if quote and quote.order_id
            else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

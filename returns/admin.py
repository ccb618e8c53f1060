"""Staff's returns and claims: the lists (returns at risk of missing the
refund deadline as a filter), each with its lines, its moves, its thread
and the buttons of its legal next steps; each step is a form and one
service call. The order's page lists its returns and claims."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.templatetags.currency_filters import currency

from core.admin import ReadOnlyInline, admin_extension
from core.audit import AUDIT_FIELDS
from core.forms import AmountField

from . import selectors as sel
from .exceptions import ReturnError
from .forms import MessageForm, NoteForm, ReceiveForm, RefundForm, RequiredMessageForm
from .models import Claim, ClaimLine, ClaimTransition, Return, ReturnLine, ReturnTransition
from .services import claims as claim_services
from .services import refunds
from .services import returns as services
from .statuses import TRANSITIONS, ClaimStatus, ReturnStatus

S = ReturnStatus


class ReturnLineInline(ReadOnlyInline):
    model = ReturnLine
    fields = ("line", "quantity", "reason", "restocked")


class ReturnTransitionInline(ReadOnlyInline):
    model = ReturnTransition
    fields = AUDIT_FIELDS


class RefundRiskFilter(admin.SimpleListFilter):
    title = gettext_lazy("refund deadline")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [
            ("at_risk", _("At risk (due within 2 business days or late)")),
            ("late", _("Past due")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "at_risk":
            return queryset.filter(pk__in=[r.pk for r in sel.returns_at_risk()])
        if self.value() == "late":
            return queryset.filter(pk__in=[r.pk for r in sel.returns_past_due()])
        return queryset


# Each staff step: (url name, label, form, call(ret, data, user) -> message).
def _accept(ret, data, user):
    services.return_accept(return_id=ret.pk, by=user, message=data["message"])
    return _("Accepted: the customer gets the number and the slip.")


def _refuse(ret, data, user):
    services.return_refuse(return_id=ret.pk, by=user, message=data["message"])
    return _("Refused; the customer is told why.")


def _receive(ret, data, user):
    services.return_receive(return_id=ret.pk, by=user, sound=data["sound"], note=data["note"])
    return _("Received: sound units are back in stock; refund within the deadline.")


def _inspect(ret, data, user):
    ret = services.return_inspect(return_id=ret.pk, by=user, note=data["note"])
    return _("Inspected: refund proposed, %(amount)s.") % {
        "amount": currency(ret.refund_amount, ret.order.currency)
    }


def _refund(ret, data, user):
    ret = refunds.return_refund(return_id=ret.pk, by=user, amount=data["amount"], note=data["note"])
    return _("Refunded %(amount)s; credit note %(note)s issued.") % {
        "amount": currency(ret.refund_amount, ret.order.currency),
        "note": ret.credit_note.number,
    }


def _exchange(ret, data, user):
    ret = services.return_exchange(return_id=ret.pk, by=user, note=data["note"])
    return _("Replacement order %(number)s placed.") % {"number": ret.exchange_order.number}


def _reject(ret, data, user):
    services.return_reject(return_id=ret.pk, by=user, message=data["message"])
    return _("Rejected; the customer is told why.")


STEPS = {
    S.ACCEPTED: ("accept", gettext_lazy("Accept"), MessageForm, _accept),
    S.REFUSED: ("refuse", gettext_lazy("Refuse"), RequiredMessageForm, _refuse),
    S.RECEIVED: ("receive", gettext_lazy("Parcel received"), ReceiveForm, _receive),
    S.INSPECTED: ("inspect", gettext_lazy("Inspected"), NoteForm, _inspect),
    S.REFUNDED: ("refund", gettext_lazy("Refund"), RefundForm, _refund),
    S.EXCHANGED: ("exchange", gettext_lazy("Exchange"), NoteForm, _exchange),
    S.REJECTED: ("reject", gettext_lazy("Reject"), RequiredMessageForm, _reject),
}


@admin.register(Return)
class ReturnAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "order",
        "customer",
        "status",
        "created_at",
        "received_at",
        "deadline",
    )
    list_filter = (RefundRiskFilter, "status")
    list_select_related = ("order", "customer")
    search_fields = ("number", "order__number", "customer__email", "tracking_number")
    inlines = [ReturnLineInline, ReturnTransitionInline]
    change_form_template = "admin/returns/return/change_form.html"
    readonly_fields = (
        "number",
        "order",
        "customer",
        "status",
        "comment",
        "created_at",
        "accepted_at",
        "carrier",
        "tracking_number",
        "received_at",
        "deadline",
        "bank_details",
        "refund_goods",
        "refund_shipping",
        "refund_amount",
        "refunded_at",
        "credit_note",
        "exchange_order",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("refund due by"))
    def deadline(self, ret):
        deadline = sel.return_refund_deadline(ret)
        if deadline is None:
            return "—"
        # As the rest of the pages print dates (never ISO).
        due = date_format(deadline, "DATE_FORMAT")
        if sel.return_past_due(ret):
            return format_html('<strong style="color:#b91c1c">{} ⚠</strong>', due)
        if sel.return_at_risk(ret):
            return format_html('<strong style="color:#b45309">{}</strong>', due)
        return due

    @admin.display(description=gettext_lazy("bank details (refund by transfer)"))
    def bank_details(self, ret):
        if not ret.iban:
            return "—"
        return f"{ret.account_holder} · {ret.iban} {ret.bic}".strip()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<str:to>/", view(self.step_view), name="returns_return_step"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ret = get_object_or_404(Return, pk=object_id)
        steps = [
            (reverse("admin:returns_return_step", args=[ret.pk, to]), STEPS[to][1])
            for to in S.values
            if to in TRANSITIONS.get(ret.status, ()) and to in STEPS
        ]
        extra = {
            **(extra_context or {}),
            # Every field is read-only: staff act through the steps.
            "show_save": False,
            "show_save_and_continue": False,
            "steps": steps,
            "ret": ret,
            "slip_url": reverse("returns:slip", args=[ret.pk]) if ret.number else "",
        }
        return super().change_view(request, object_id, form_url, extra)

    def step_view(self, request, pk, to):
        ret = get_object_or_404(Return, pk=pk)
        if to not in STEPS:
            raise PermissionDenied
        if not self.has_change_permission(request, ret):
            raise PermissionDenied
        _name, label, form_class, call = STEPS[to]
        initial = {}
        intro = ""
        if to == S.REFUNDED:
            proposal = sel.return_refund_proposal(ret)
            initial["amount"] = ret.refund_amount or proposal.amount
            intro = _(
                "Goods %(goods)s, delivery %(shipping)s; paid and not refunded: %(paid)s."
            ) % {
                "goods": currency(proposal.goods.gross, ret.order.currency),
                "shipping": currency(proposal.shipping_gross, ret.order.currency),
                "paid": currency(sel.refundable_to_customer(ret.order), ret.order.currency),
            }
            if sel.refund_needs_bank_details(ret.order):
                intro += " " + (
                    _("Transfer the amount to %(holder)s, IBAN %(iban)s %(bic)s, then confirm.")
                    % {"holder": ret.account_holder, "iban": ret.iban, "bic": ret.bic}
                    if ret.iban
                    else _("The customer has not given their bank details yet.")
                )
        back = reverse("admin:returns_return_change", args=[ret.pk])
        extra = {"ret": ret} if form_class is ReceiveForm else {}
        form = form_class(request.POST or None, initial=initial, **extra)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            if isinstance(form, ReceiveForm):
                data["sound"] = form.sound()
            try:
                done = call(ret, data, request.user)
            except ReturnError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, done)
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{label}: {ret}",
            "object": ret,
            "form": form,
            "intro": intro,
            "opts": self.model._meta,
            "back": back,
        }
        return TemplateResponse(request, "admin/returns/step.html", context)


class ClaimLineInline(ReadOnlyInline):
    model = ClaimLine
    fields = ("line", "quantity")


class ClaimTransitionInline(ReadOnlyInline):
    model = ClaimTransition
    fields = AUDIT_FIELDS


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ClaimStatus.REPLACED, gettext_lazy("Send a replacement at no charge")),
            (ClaimStatus.REFUNDED, gettext_lazy("Refund the claimed items")),
            (ClaimStatus.REFUSED, gettext_lazy("Refuse")),
        ],
    )
    amount = AmountField(
        label=gettext_lazy("Amount to refund (incl. VAT)"),
        required=False,
        help_text=gettext_lazy("Empty: the claimed items at their price."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the customer"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
    )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("__str__", "order", "customer", "kind", "status", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("order", "customer")
    search_fields = ("order__number", "customer__email")
    inlines = [ClaimLineInline, ClaimTransitionInline]
    change_form_template = "admin/returns/claim/change_form.html"
    readonly_fields = (
        "order",
        "customer",
        "kind",
        "description",
        "status",
        "created_at",
        "replacement_order",
        "refund_amount",
        "credit_note",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="returns_claim_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra)

    def decide_view(self, request, pk):
        claim = get_object_or_404(Claim, pk=pk)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        back = reverse("admin:returns_claim_change", args=[claim.pk])
        form = ClaimDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
            try:
                if decision == ClaimStatus.REPLACED:
                    claim_services.claim_replace(claim_id=pk, by=request.user, message=message)
                elif decision == ClaimStatus.REFUNDED:
                    claim_services.claim_refund(
                        claim_id=pk,
                        by=request.user,
                        amount=form.cleaned_data["amount"],
                        message=message,
                    )
                else:
                    claim_services.claim_refuse(claim_id=pk, by=request.user, message=message)
            except ReturnError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Done; the customer is told."))
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decide on %(claim)s") % {"claim": claim},
            "object": claim,
            "form": form,
            "intro": "",
            "opts": self.model._meta,
            "back": back,
        }
        return TemplateResponse(request, "admin/returns/step.html", context)


# --- the order's admin page -----------------------------------------------------


@admin.display(description=gettext_lazy("Returns and claims"))
def order_returns_summary(order) -> str:
    returns = list(sel.order_returns(order))
    claims = list(Claim.objects.filter(order=order))
    if not returns and not claims:
        return "—"
    rows = [
        (reverse("admin:returns_return_change", args=[r.pk]), str(r), r.status_label)
        for r in returns
    ] + [
        (reverse("admin:returns_claim_change", args=[c.pk]), str(c), c.get_status_display())
        for c in claims
    ]
    return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a> ({})', rows)


def order_admin_extend() -> None:
    admin_extension("order.Order").add_field("payment", order_returns_summary)

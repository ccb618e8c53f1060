"""Staff see every payment and refund, filter what needs checking, record
what they received from the order's page, refund, and accept an amount that
differed. Every change goes through billing.payments.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from billing.models import Payment, ProviderEvent
from billing.payments import services
from billing.payments.exceptions import PaymentError
from billing.payments.forms import RecordPaymentForm, RefundForm
from billing.payments.methods import payment_methods_on_offer
from billing.payments.providers import ProviderError
from billing.payments.selectors import amount_credited, amount_paid, order_balance
from core.admin import ReadOnlyInline
from core.payment_methods import PaymentMethod

Order = get_model("order", "Order")


class OrderPaymentMethodFilter(admin.SimpleListFilter):
    """The order list's payment methods: those on offer (card and PayPal
    only when configured) and any an existing order was placed with."""

    title = _("payment method")
    parameter_name = "payment_method"

    def lookups(self, request, model_admin):
        # One indexed EXISTS per method not on offer (order_payment_method),
        # not a DISTINCT over every order: a full scan at a million orders.
        offered = set(payment_methods_on_offer())
        return [
            (method.value, method.label)
            for method in PaymentMethod
            if method in offered or Order.objects.filter(payment_method=method).exists()
        ]

    def queryset(self, request, queryset):
        return queryset.filter(payment_method=self.value()) if self.value() else queryset


class FlaggedFilter(admin.SimpleListFilter):
    title = _("to check")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Anything to check")), *Payment.Flag.choices[1:]]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(flag="")
        if self.value():
            return queryset.filter(flag=self.value())
        return queryset


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "order_link",
        "kind",
        "method",
        "signed",
        "status",
        "flag_badge",
        "received_on",
        "reference",
        "provider_id",
        "recorded_by",
    )
    list_filter = (FlaggedFilter, "status", "kind", "method", "provider")
    list_select_related = ("order", "recorded_by")
    search_fields = ("order__number", "provider_id", "reference", "note")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Payment._meta.fields]
    change_form_template = "billing/payments/admin_payment_change.html"
    actions = ["refund_in_full"]

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, payment):
        url = reverse("admin:order_order_change", args=[payment.order_id])
        return format_html('<a href="{}">{}</a>', url, payment.order.number)

    @admin.display(description=_("amount"), ordering="amount")
    def signed(self, payment):
        return currency(payment.signed_amount, payment.currency)

    @admin.display(description=_("to check"), ordering="flag")
    def flag_badge(self, payment):
        if not payment.flag:
            return ""
        return format_html(
            '<strong class="payment-flag payment-flag--{}">⚠ {}</strong>',
            payment.flag,
            payment.get_flag_display(),
        )

    @admin.action(description=_("Refund what is left of the selected payments"))
    def refund_in_full(self, request, queryset):
        done = 0
        for payment in queryset.filter(kind=Payment.Kind.PAYMENT).order_by("pk"):
            try:
                services.refund_payment(payment_id=payment.pk, by=request.user)
            except (PaymentError, ProviderError) as exc:
                messages.error(request, f"{payment.order.number}: {exc.message}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)d refunded.") % {"count": done})

    def has_add_permission(self, request):
        return False  # from the order's page ("Record a payment")

    def has_delete_permission(self, request, obj=None):
        return False  # the ledger keeps everything; refund instead

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "record/<int:order_id>/",
                view(self.record_view),
                name="billing_payment_record",
            ),
            path("<int:pk>/refund/", view(self.refund_view), name="billing_payment_refund"),
            path("<int:pk>/accept/", view(self.accept_view), name="billing_payment_accept"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payment = get_object_or_404(Payment, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "can_refund": payment.kind == Payment.Kind.PAYMENT
            and payment.status == Payment.Status.SUCCEEDED
            and services.refundable(payment) > 0,
            "can_accept": payment.flag == Payment.Flag.AMOUNT_MISMATCH
            and payment.status != Payment.Status.SUCCEEDED,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _check(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied

    def _form_page(self, request, *, order, form, title, submit, intro=""):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "order": order,
            "form": form,
            "submit": submit,
            "intro": intro,
            "balance": order_balance(order),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "billing/payments/admin_form.html", context)

    def record_view(self, request, order_id):
        order = get_object_or_404(Order, pk=order_id)
        self._check(request)
        balance = order_balance(order)
        form = RecordPaymentForm(
            request.POST or None,
            initial={
                "amount": balance if balance > 0 else None,
                "method": order.payment_method
                if order.payment_method in services.STAFF_METHODS
                else None,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                payment = services.record_payment(
                    order_id=order.pk, by=request.user, **form.cleaned_data
                )
            except PaymentError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Recorded %(amount)s %(currency)s; the order now owes %(balance)s.")
                    % {
                        "amount": payment.amount,
                        "currency": payment.currency,
                        "balance": order_balance(order),
                    },
                )
                if payment.flag:
                    messages.warning(request, payment.get_flag_display())
                return redirect("admin:order_order_change", order.pk)
        return self._form_page(
            request,
            order=order,
            form=form,
            title=_("%(number)s: record a payment") % {"number": order.number},
            submit=_("Record the payment"),
        )

    def refund_view(self, request, pk):
        payment = get_object_or_404(Payment.objects.select_related("order"), pk=pk)
        self._check(request, payment)
        left = services.refundable(payment)
        form = RefundForm(request.POST or None, initial={"amount": left})
        if request.method == "POST" and form.is_valid():
            try:
                refund = services.refund_payment(
                    payment_id=payment.pk, by=request.user, **form.cleaned_data
                )
            except (PaymentError, ProviderError) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Refund of %(amount)s: %(status)s.")
                    % {
                        "amount": currency(refund.amount, refund.currency),
                        "status": refund.get_status_display(),
                    },
                )
                return redirect("admin:order_order_change", payment.order_id)
        intro = (
            _("Refunded through %(provider)s.") % {"provider": payment.provider}
            if (payment.provider)
            else _("Give the money back yourself (transfer, cheque): this records it.")
        )
        return self._form_page(
            request,
            order=payment.order,
            form=form,
            title=_("%(number)s: refund %(amount)s")
            % {
                "number": payment.order.number,
                "amount": currency(payment.amount, payment.currency),
            },
            submit=_("Refund"),
            intro=intro,
        )

    def accept_view(self, request, pk):
        payment = get_object_or_404(Payment, pk=pk)
        self._check(request, payment)
        if request.method != "POST":
            return redirect("admin:billing_payment_change", payment.pk)
        try:
            services.payment_accept(payment_id=payment.pk, by=request.user)
        except PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The amount is accepted as received."))
        return redirect("admin:order_order_change", payment.order_id)


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "type", "event_id", "payment")
    list_filter = ("provider", "type")
    search_fields = ("event_id", "payment__provider_id", "payment__order__number")
    readonly_fields = [f.name for f in ProviderEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderPaymentInline(ReadOnlyInline):
    """The order's payments and refunds, on the order's admin page."""

    model = Payment
    fk_name = "order"
    fields = (
        "created_at",
        "kind",
        "method",
        "amount",
        "status",
        "flag",
        "received_on",
        "reference",
        "provider_id",
        "recorded_by",
    )
    show_change_link = True
    verbose_name_plural = _("payments and refunds")


@admin.display(description=_("payments"))
def order_payment_summary(order) -> str:
    """Paid, balance, what to check, and the "record a payment" link."""
    if order is None or order.pk is None:
        return ""
    balance = order_balance(order)
    flagged = Payment.objects.filter(order=order).exclude(flag="")
    credited = amount_credited(order)
    lines = []
    if credited:
        lines.append(format_html("{}: {}", _("Credit notes"), currency(credited, order.currency)))
    lines += [
        format_html("{}: {}", _("Paid"), currency(amount_paid(order), order.currency)),
        format_html(
            '<span class="payment-balance{}">{}: {}</span>',
            " payment-balance--due" if balance > 0 else "",
            _("Balance due") if balance >= 0 else _("Overpaid by"),
            currency(abs(balance), order.currency),
        ),
    ]
    lines += [
        format_html(
            '<strong class="payment-flag">⚠ <a href="{}">{}</a></strong>',
            reverse("admin:billing_payment_change", args=[p.pk]),
            f"{p.get_flag_display()} ({currency(p.amount, p.currency)})",
        )
        for p in flagged
    ]
    if balance > 0:
        lines.append(
            format_html(
                '<a class="button" href="{}">{}</a>',
                reverse("admin:billing_payment_record", args=[order.pk]),
                _("Record a payment"),
            )
        )
    # Its own block, one line each and the button on its own line below, so
    # the admin's readonly row does not lay the button over the amounts.
    rows = format_html_join("", '<div style="margin-bottom:.4em">{}</div>', ((ln,) for ln in lines))
    return format_html(
        '<div class="payments-summary" style="display:block;clear:both">{}</div>', rows
    )

"""Staff find, download and re-send documents; issue credit notes, proformas
and delivery notes; export and deposit Factur-X invoices for Chorus Pro.
Every action calls a service of billing.documents."""

from decimal import InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.documents import chorus, invoicing
from billing.documents.exceptions import DocumentError, DocumentTampered
from billing.documents.selectors import order_documents_issuable
from billing.models import Document
from billing.models.documents import DocumentKind
from core.forms import AmountField
from core.outbox.admin import messages_table


def download_link(document) -> str:
    if not document.pk:
        return "—"
    url = reverse("billing:document-download", kwargs={"number": document.number})
    return format_html('<a href="{}" target="_blank">{} (PDF)</a>', url, document.number)


def order_of(document):
    """The document's order, or for a quote the order its acceptance placed
    (procurement keeps it on the quote; read here, never written)."""
    if document.order_id:
        return document.order
    if document.source_label != "procurement.quote":
        return None
    from procurement.models import Quote

    quote = Quote.objects.filter(document_id=document.pk).select_related("order").first()
    return quote.order if quote is not None else None


class DocumentInline(admin.TabularInline):
    """The order's documents, on the order's admin page."""

    model = Document
    fk_name = "order"
    extra = 0
    can_delete = False
    fields = ("kind", "pdf_link", "date", "total_incl_tax", "is_facturx", "chorus_status")
    readonly_fields = fields
    verbose_name_plural = _("documents")

    @admin.display(description=_("number"))
    def pdf_link(self, document):
        return download_link(document)

    def get_queryset(self, request):
        return super().get_queryset(request).without_pdf()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Printed on the credit note, e.g. “Return of 2 items” or “Price correction”."),
    )
    amount = AmountField(
        label=_("Amount incl. VAT"),
        required=False,
        help_text=_("Leave empty to credit the whole invoice."),
    )


class ResendForm(forms.Form):
    recipient = forms.EmailField(
        label=_("Send to"), required=False, help_text=_("Empty: the customer's address.")
    )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    # Narrow enough for the changelist beside its filters (Factur-X and
    # Chorus Pro are filters; the order or quote share one column).
    list_display = ("number", "kind", "date", "customer", "reference", "total_incl_tax")
    list_filter = ("kind", "chorus_status", "is_facturx", "year")
    list_select_related = ("customer", "order")
    search_fields = ("number", "order__number", "customer__email", "source_reference")
    date_hierarchy = "date"
    fields = (
        "pdf_link",
        "kind",
        "number",
        "date",
        "issued_at",
        "issued_by",
        "customer",
        "order_link",
        "source_label",
        "source_reference",
        "refers_to",
        "total_excl_tax",
        "total_vat",
        "total_incl_tax",
        "sha256",
        "is_facturx",
        "chorus_status",
        "chorus_flux_id",
        "chorus_deposited_at",
        "emails",
    )
    readonly_fields = fields
    actions = ["resend", "export_for_chorus", "deposit_on_chorus"]
    change_form_template = "billing/documents/admin/change_form.html"

    @admin.display(description=_("PDF"))
    def pdf_link(self, document):
        return download_link(document)

    @admin.display(description=_("emails"))
    def emails(self, document):
        return messages_table(document)

    @admin.display(description=_("order or quote"))
    def reference(self, document):
        order = order_of(document)
        if document.source_reference and order is not None:
            return f"{document.source_reference} → {order.number}"
        return order.number if order is not None else document.source_reference or "—"

    @admin.display(description=_("order"))
    def order_link(self, document):
        order = order_of(document)
        if order is None:
            return "—"
        url = reverse("admin:order_order_change", args=[order.pk])
        return format_html('<a href="{}">{}</a>', url, order.number)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "data")

    def has_add_permission(self, request):
        return False  # documents are issued by the services

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- actions -----------------------------------------------------------------

    @admin.action(description=_("Send again to the customer"))
    def resend(self, request, queryset):
        count = 0
        for document in queryset:
            try:
                invoicing.document_resend(document_id=document.pk, by=request.user)
                count += 1
            except DocumentError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(
            request, gettext("%(count)d documents queued for sending.") % {"count": count}
        )

    @admin.action(description=_("Export for Chorus Pro (zip with a manifest)"))
    def export_for_chorus(self, request, queryset):
        try:
            content, numbers = chorus.chorus_export_zip(
                document_ids=list(queryset.values_list("pk", flat=True)), by=request.user
            )
        except DocumentTampered as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        if not numbers:
            self.message_user(
                request,
                gettext("None of these is a Factur-X invoice or credit note."),
                messages.WARNING,
            )
            return None
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="chorus-pro.zip"'
        return response

    @admin.action(description=_("Deposit on Chorus Pro (API)"))
    def deposit_on_chorus(self, request, queryset):
        try:
            done = chorus.chorus_deposit_pending(
                document_ids=list(queryset.values_list("pk", flat=True))
            )
        except chorus.ChorusError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request, gettext("%(count)d deposited on Chorus Pro.") % {"count": len(done)}
        )

    # --- per-document and per-order pages ----------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/credit-note/",
                view(self.credit_note_view),
                name="billing_document_credit_note",
            ),
            path("<int:pk>/resend/", view(self.resend_view), name="billing_document_resend"),
            path(
                "order/<int:order_pk>/<str:kind>/",
                view(self.order_document_view),
                name="billing_document_for_order",
            ),
            *super().get_urls(),
        ]

    def _require_staff(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def credit_note_view(self, request, pk):
        self._require_staff(request)
        invoice = get_object_or_404(Document.objects.without_pdf(), pk=pk, kind="invoice")
        form = CreditNoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason, amount = form.cleaned_data["reason"], form.cleaned_data["amount"]
            try:
                lines = (
                    invoicing.credit_lines_for_amount(invoice, amount, reason) if amount else None
                )
                note = invoicing.credit_note_issue(
                    invoice_id=invoice.pk, by=request.user, reason=reason, lines=lines
                )
            except (DocumentError, InvalidOperation) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, gettext("Credit note %(number)s issued.") % {"number": note.number}
                )
                return redirect("admin:billing_document_change", note.pk)
        return self._form_page(
            request,
            form,
            gettext("Credit note for %(number)s") % {"number": invoice.number},
            invoice,
        )

    def resend_view(self, request, pk):
        self._require_staff(request)
        document = get_object_or_404(Document.objects.without_pdf(), pk=pk)
        form = ResendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                email = invoicing.document_resend(
                    document_id=document.pk,
                    by=request.user,
                    recipient=form.cleaned_data["recipient"],
                )
            except DocumentError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    gettext("%(number)s queued for %(email)s.")
                    % {"number": document.number, "email": email.recipient},
                )
            return redirect(
                request.GET.get("next") or reverse("admin:billing_document_change", args=[pk])
            )
        return self._form_page(
            request, form, gettext("Send %(number)s again") % {"number": document.number}, document
        )

    def order_document_view(self, request, order_pk, kind):
        """Issue (or reprint) the order's invoice, proforma or delivery note."""
        self._require_staff(request)
        services = {
            "invoice": invoicing.invoice_issue,
            "proforma": invoicing.proforma_issue,
            "delivery_note": invoicing.delivery_note_issue,
        }
        if kind not in services or request.method != "POST":
            raise PermissionDenied
        extra = {}
        parcels = request.POST.get("parcels", "")
        if kind == "delivery_note" and parcels.isdigit() and 0 < int(parcels) < 100:
            extra["parcels"] = int(parcels)
        try:
            document = services[kind](order_id=order_pk, by=request.user, **extra)
        except DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("admin:order_order_change", order_pk)
        return redirect("billing:document-download", number=document.number)

    def _form_page(self, request, form, title, document):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "document": document,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "billing/documents/admin/form.html", context)


def order_document_buttons(order) -> list[tuple[str, str]]:
    """What staff may issue or print for the order now, for its admin page
    (the rule is billing.documents.selectors.order_documents_issuable)."""
    labels = {
        DocumentKind.DELIVERY_NOTE: gettext("Print the delivery note"),
        DocumentKind.PROFORMA: gettext("Proforma invoice"),
        DocumentKind.INVOICE: gettext("Issue the invoice"),
    }
    return [(kind, labels[kind]) for kind in order_documents_issuable(order)]

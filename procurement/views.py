"""Customer pages of procurement: ask for a quote, follow requests and
quotes in the account, accept (pay, or send a purchase order) or decline,
and download one's own files. Each view finds the request through
``selectors.request_for_customer`` (404 for anyone else) and calls a
service."""

import io
import mimetypes
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from billing.documents.exceptions import DocumentTampered
from billing.documents.views import document_refused
from core.payment_methods import PaymentMethod
from orders.selectors import order_path
from shop.customer.models import LegalEntity
from shop.customer.selectors import legal_entities_for

from . import selectors
from .exceptions import ProcurementError
from .forms import AcceptForm, DeclineForm, LineFormSet, PurchaseOrderForm, QuoteRequestForm
from .models import PurchaseOrder, RequestFile, RequestState
from .services import acceptance, documents
from .services.requests import quote_request_submit


def _user(request):
    return request.user if request.user.is_authenticated else None


@never_cache
def request_new(request):
    user = _user(request)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = QuoteRequestForm(data, user=user, request=request)
    # "Request a quote" on a product page names the part.
    reference = request.GET.get("ref", "")[:128]
    lines = LineFormSet(
        data, files, prefix="lines", initial=[{"part_number": reference}] if reference else None
    )
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        filled = lines.filled_forms()
        # Each file goes with the line it was sent on.
        attached = [
            replace(upload, line_index=n)
            for n, line_form in enumerate(filled)
            for upload in line_form.cleaned_data["files"]
        ]
        try:
            qr = quote_request_submit(
                user=user,
                contact_name=form.cleaned_data["contact_name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                organisation_name=form.cleaned_data.get("organisation_name", ""),
                organisation_address=form.cleaned_data.get("organisation_address", ""),
                organisation_siret=form.cleaned_data.get("organisation_siret", ""),
                organisation_service_code=form.cleaned_data.get("organisation_service_code", ""),
                legal_entity=form.cleaned_data.get("legal_entity"),
                message=form.cleaned_data["message"],
                lines=[f.to_input() for f in filled],
                files=attached,
                language=translation.get_language() or "fr",
            )
        except ProcurementError as exc:
            form.add_error(None, exc.message)
        else:
            if user is None:
                selectors.guest_remember(request, qr)
            return redirect("procurement:sent", number=qr.number)
    return render(
        request,
        "procurement/request_form.html",
        {
            "form": form,
            "lines": lines,
            "has_entities": bool(user and legal_entities_for(user)),
            "sourced_goods_notice": documents.SOURCED_GOODS_NOTICE,
        },
    )


def request_sent(request, number):
    qr = selectors.request_for_customer(request, number)
    return render(request, "procurement/request_sent.html", {"qr": qr})


def guest_access(request, token):
    """The signed link in a guest's emails opens their request here."""
    qr = selectors.request_from_guest_token(token)
    selectors.guest_remember(request, qr)
    return redirect("procurement:detail", number=qr.number)


@login_required
def request_list(request):
    return render(
        request,
        "procurement/request_list.html",
        {
            "requests": selectors.requests_for(request.user),
            "page_title": _("My quotes"),
            "active_tab": "quotes",
        },
    )


def _quote(qr):
    quote = getattr(qr, "quote", None)
    if quote is None or quote.sent_at is None:
        raise Http404
    return quote


@never_cache
def request_detail(request, number):
    qr = selectors.request_for_customer(request, number)
    quote = getattr(qr, "quote", None) if qr.state != RequestState.SUBMITTED else None
    user = _user(request)
    institutions = legal_entities_for(user).filter(
        kind=LegalEntity.Kind.PUBLIC_BODY, verified_at__isnull=False
    )
    context = {
        "qr": qr,
        "quote": quote,
        "lines": qr.lines.prefetch_related("files"),
        "files": qr.files.all(),
        "page_title": _("Request %(number)s") % {"number": qr.number},
        "active_tab": "quotes",
        "open": qr.state == RequestState.QUOTED,
        "base_template": None if user else "oscar/layout.html",
    }
    if context["open"]:
        context |= {
            "accept_form": AcceptForm(user=user, initial_entity=qr.legal_entity),
            "decline_form": DeclineForm(),
            "po_form": PurchaseOrderForm(user=user, institutions=institutions)
            if institutions.exists()
            else None,
        }
    if quote is not None:
        context["quote_lines"] = quote.lines.all()
        context["purchase_order"] = PurchaseOrder.objects.filter(quote=quote).first()
    return render(request, "procurement/request_detail.html", context)


def _after_order(request, qr, order, payment_method):
    if qr.user_id is None:
        # Oscar's guest order page asks for the email the order was made with.
        request.session["anon_order_email"] = qr.email
    method = PaymentMethod.of(payment_method)
    if method is not None and method.is_online:
        try:
            return redirect(reverse("billing:pay", kwargs={"number": order.number}))
        except NoReverseMatch:  # payments not installed: the order page says what is next
            pass
    return redirect(order_path(order))


@require_POST
def quote_accept(request, number):
    qr = selectors.request_for_customer(request, number)
    quote = _quote(qr)
    form = AcceptForm(request.POST, user=_user(request))
    if not form.is_valid():
        if "payment_method" in form.errors:
            messages.error(request, _("Choose how you will pay."))
        for name, errors in form.errors.items():
            if name == "payment_method":
                continue
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("procurement:detail", number=qr.number)
    entity = form.cleaned_data.get("legal_entity")
    try:
        order = acceptance.quote_accept(
            quote_id=quote.pk,
            customer=_user(request),
            payment_method=form.cleaned_data["payment_method"],
            legal_entity_id=entity.pk if entity else None,
            delivery=form.delivery_input(),
        )
    except ProcurementError as exc:
        messages.error(request, exc.message)
        return redirect("procurement:detail", number=qr.number)
    messages.success(
        request,
        _("Thank you: quote %(quote)s is accepted and order %(order)s is placed.")
        % {"quote": quote.number, "order": order.number},
    )
    return _after_order(request, qr, order, form.cleaned_data["payment_method"])


@require_POST
def quote_decline(request, number):
    qr = selectors.request_for_customer(request, number)
    quote = _quote(qr)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        acceptance.quote_decline(quote_id=quote.pk, customer=_user(request), reason=reason)
    except ProcurementError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Quote %(number)s is declined.") % {"number": quote.number})
    return redirect("procurement:detail", number=qr.number)


@require_POST
@login_required
def purchase_order_upload(request, number):
    qr = selectors.request_for_customer(request, number)
    quote = _quote(qr)
    institutions = legal_entities_for(request.user).filter(kind=LegalEntity.Kind.PUBLIC_BODY)
    form = PurchaseOrderForm(
        request.POST, request.FILES, user=request.user, institutions=institutions
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("procurement:detail", number=qr.number)
    try:
        po = acceptance.purchase_order_attach(
            quote_id=quote.pk,
            customer=request.user,
            number=form.cleaned_data["number"],
            upload=form.cleaned_data["file"],
            legal_entity_id=form.cleaned_data["legal_entity"].pk,
            delivery=form.delivery_input(),
        )
    except ProcurementError as exc:
        messages.error(request, exc.message)
        return redirect("procurement:detail", number=qr.number)
    quote.refresh_from_db()
    messages.success(
        request,
        _(
            "Thank you: purchase order %(po)s is received and order %(order)s is under way; "
            "you will be invoiced for payment by administrative mandate."
        )
        % {"po": po.number, "order": quote.order.number},
    )
    return redirect(order_path(quote.order))


def _download(content_or_file, *, filename, content_type, inline=False):
    response = FileResponse(
        content_or_file, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Sent as a download, never rendered as one of our pages.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def quote_pdf(request, number):
    qr = selectors.request_for_customer(request, number)
    quote = _quote(qr)
    try:
        pdf = documents.quote_pdf_bytes(quote)
    except DocumentTampered as exc:
        return document_refused(request, exc)
    return _download(
        io.BytesIO(pdf),
        filename=documents.quote_pdf_filename(quote),
        content_type="application/pdf",
    )


def request_file(request, number, token):
    qr = selectors.request_for_customer(request, number)
    stored = get_object_or_404(RequestFile, request=qr, token=token)
    return _download(
        stored.file.open("rb"),
        filename=stored.original_name,
        content_type=stored.content_type or mimetypes.guess_type(stored.original_name)[0],
    )


def purchase_order_file(request, number):
    qr = selectors.request_for_customer(request, number)
    po = get_object_or_404(PurchaseOrder, quote__request=qr)
    return _download(
        po.file.open("rb"), filename=f"{po.number}.pdf", content_type="application/pdf"
    )

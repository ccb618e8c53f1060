"""The customer's documents: list, download, duplicate, proforma. Thin:
reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from orders.selectors import order_for_customer

from . import invoicing
from .exceptions import DocumentError, DocumentTampered
from .selectors import document_for_user, documents_by_source, documents_for_customer
from .services import document_pdf


@login_required
def document_list(request):
    orders, quotes, others = documents_by_source(documents_for_customer(request.user))
    return render(
        request,
        "billing/documents/document_list.html",
        {
            "page_title": _("Documents"),
            "active_tab": "documents",
            "order_groups": orders,
            "quote_groups": quotes,
            "other_documents": others,
        },
    )


def document_refused(request, error: DocumentTampered):
    """The page shown instead of a document whose stored PDF fails its
    checksum (already logged by the service): never the file itself."""
    return render(
        request,
        "billing/documents/tampered.html",
        {"message": str(error)},
        status=500,
    )


@never_cache
def document_download(request, number):
    document = document_for_user(request.user, number)
    try:
        pdf = document_pdf(document)
    except DocumentTampered as exc:
        return document_refused(request, exc)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_duplicate(request, number):
    document = document_for_user(request.user, number)
    try:
        invoicing.duplicate_request(document_id=document.pk, by=request.user)
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("A duplicate of %(number)s is on its way to %(email)s.")
            % {"number": document.number, "email": request.user.email},
        )
    return redirect("billing:documents")


@login_required
@require_POST
def order_proforma(request, order_number):
    order = order_for_customer(request, order_number)
    try:
        document = invoicing.proforma_for_customer(order_id=order.pk, by=request.user)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("customer:order", order_number=order.number)
    return redirect("billing:document-download", number=document.number)

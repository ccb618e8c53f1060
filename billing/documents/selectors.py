"""Reads: who may see which document."""

from django.http import Http404
from django.utils.translation import gettext as _

from billing.models import Document
from billing.models.documents import DocumentKind
from core.payment_methods import PaymentMethod
from orders.statuses import OrderStatus


def documents_for_customer(user):
    """The customer's documents, newest first, without their PDFs."""
    return (
        Document.objects.filter(customer=user)
        .without_pdf()
        .select_related("order", "refers_to")
        .order_by("-issued_at", "-pk")
    )


def document_for_user(user, number: str) -> Document:
    """The document for its customer or staff; anyone else gets a 404 (not
    a 403: whether the number exists is nobody else's business)."""
    documents = Document.objects.filter(number=number)
    if not (user.is_authenticated and user.is_staff):
        if not user.is_authenticated:
            raise Http404
        documents = documents.filter(customer=user)
    document = documents.select_related("order").first()
    if document is None:
        raise Http404
    return document


def order_has_invoice(order) -> bool:
    """Whether the order's invoice has been issued (it is when it ships,
    or at the counter once paid)."""
    return Document.objects.filter(order=order, kind=DocumentKind.INVOICE).exists()


def documents_by_source(documents) -> tuple[list, list, list]:
    """(order groups, quote groups, others): [(order or reference, [documents])]."""
    by_order, by_quote, others = {}, {}, []
    for document in documents:
        if document.order_id:
            by_order.setdefault(document.order, []).append(document)
        elif document.source_reference:
            by_quote.setdefault(document.source_reference, []).append(document)
        else:
            others.append(document)
    return list(by_order.items()), list(by_quote.items()), others


# --- which documents an order may have now -------------------------------------
# The issuing services (billing.documents.invoicing) check these same rules
# under the order's lock; the admin's buttons and the customer's page offer
# only what they accept (tests/documents/test_issuable.py).

SHIPPED_STATES = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
STAFF_KINDS = (DocumentKind.DELIVERY_NOTE, DocumentKind.PROFORMA, DocumentKind.INVOICE)


def order_document_refusal(order, kind: str, *, counter_paid: bool = False) -> str | None:
    """Why staff may not issue the order's ``kind`` now, or None."""
    if kind == DocumentKind.INVOICE:
        if order.status == OrderStatus.CANCELLED:
            return _("Order %(number)s is cancelled: no invoice.") % {"number": order.number}
        counter_sale = order.payment_method == PaymentMethod.COUNTER and (
            counter_paid or order.paid_at is not None
        )
        if order.status not in SHIPPED_STATES and not counter_sale:
            return _(
                "Order %(number)s is not shipped yet: its invoice is issued when it ships."
            ) % {"number": order.number}
        if Document.objects.filter(order=order, kind=DocumentKind.INVOICE).exists():
            return _("Order %(number)s already has an invoice: correct it with a credit note.") % {
                "number": order.number
            }
        return None
    if kind == DocumentKind.PROFORMA:
        if order.status in (OrderStatus.CANCELLED, *SHIPPED_STATES):
            return _("A proforma is only for an order still to be paid or shipped.")
        return None
    if kind == DocumentKind.DELIVERY_NOTE:
        if order.status not in (OrderStatus.PICKING, *SHIPPED_STATES):
            return _("A delivery note is printed when the order is being picked.")
        return None
    raise ValueError(kind)


def order_documents_issuable(order) -> list[str]:
    """The kinds staff may issue (or print again) for the order now."""
    return [kind for kind in STAFF_KINDS if order_document_refusal(order, kind) is None]


def customer_proforma_refusal(order) -> str | None:
    """Why the customer may not download a proforma: it is for an unpaid
    order paid by transfer or mandate (what an accounting department needs
    to pay), not yet shipped."""
    method = PaymentMethod.of(order.payment_method)
    if (
        order.paid_at is None
        and method in (PaymentMethod.TRANSFER, PaymentMethod.MANDATE)
        and order.status not in (OrderStatus.CANCELLED, *SHIPPED_STATES)
    ):
        return None
    return _("A proforma is available for unpaid orders paid by transfer or mandate.")

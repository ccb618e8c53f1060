"""Reads: who may see which document."""

from django.http import Http404

from billing.models import Document


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

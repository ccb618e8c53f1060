"""The accepted quote's document shows its order in the admin (F15), and
the order placed from a quote invoices to the cent (F10)."""

import pytest
from django.urls import reverse

from billing.documents import invoicing
from billing.documents.data import Kind
from billing.models import Document
from procurement.services.acceptance import quote_accept

from .conftest import quoted

pytestmark = pytest.mark.django_db


def test_accepted_quote_document_shows_its_order(client, buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    order = quote_accept(quote_id=quote.pk, customer=buyer, payment_method="transfer")
    document = Document.objects.get(pk=quote.document_id)

    client.force_login(staff)
    listing = client.get(reverse("admin:billing_document_changelist")).content.decode()
    assert f"{document.source_reference} → {order.number}" in listing
    page = client.get(reverse("admin:billing_document_change", args=[document.pk]))
    assert reverse("admin:order_order_change", args=[order.pk]) in page.content.decode()

    data = invoicing.order_document_data(order, kind=Kind.INVOICE)
    assert data.total_incl == order.total_incl_tax

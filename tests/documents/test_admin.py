"""Staff find the documents on the order, download, re-send, credit and
print from the admin; the admin never edits an issued document."""

import pytest
from django.urls import reverse

from billing.models import Document
from core.outbox.models import OutboxMessage
from orders.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(picking_order):
    order = picking_order()
    t.order_ship(order_id=order.pk, pickup=True)
    return order


def test_order_page_lists_its_documents_and_buttons(client, staff, shipped):
    client.force_login(staff)
    invoice = Document.objects.get(order=shipped, kind="invoice")
    page = client.get(reverse("admin:order_order_change", args=[shipped.pk])).content.decode()
    assert invoice.number in page
    assert reverse("billing:document-download", kwargs={"number": invoice.number}) in page
    assert reverse("admin:billing_document_for_order", args=[shipped.pk, "delivery_note"]) in page


def test_staff_print_the_delivery_note(client, staff, shipped):
    client.force_login(staff)
    response = client.post(
        reverse("admin:billing_document_for_order", args=[shipped.pk, "delivery_note"]),
        {"parcels": "3"},
    )
    note = Document.objects.get(kind="delivery_note")
    assert note.data["parcels"] == 3
    assert response["Location"] == reverse(
        "billing:document-download", kwargs={"number": note.number}
    )


def test_a_document_not_rendered_yet_shows_and_downloads(client, staff, shipped):
    """Given an invoice whose PDF is not rendered yet (the worker has not
    run), its admin page shows, and its link renders and stores the PDF."""
    client.force_login(staff)
    invoice = Document.objects.get(order=shipped, kind="invoice")
    assert invoice.sha256 == ""
    page = client.get(reverse("admin:billing_document_change", args=[invoice.pk]))
    url = reverse("billing:document-download", kwargs={"number": invoice.number})
    assert page.status_code == 200 and url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert bytes(Document.objects.get(pk=invoice.pk).pdf) == response.content


def test_staff_resend_and_credit(client, staff, shipped):
    client.force_login(staff)
    invoice = Document.objects.get(order=shipped, kind="invoice")
    assert (
        client.get(reverse("admin:billing_document_change", args=[invoice.pk])).status_code == 200
    )
    client.post(
        reverse("admin:billing_document_resend", args=[invoice.pk]),
        {"recipient": "compta@example.com"},
    )
    assert OutboxMessage.objects.filter(recipient="compta@example.com").exists()
    response = client.post(
        reverse("admin:billing_document_credit_note", args=[invoice.pk]),
        {"reason": "Price correction", "amount": "6.00"},
    )
    note = Document.objects.get(kind="credit_note")
    assert response.status_code == 302 and note.refers_to == invoice
    assert str(note.total_incl_tax) == "6.00"


def test_admin_cannot_change_an_issued_document(client, staff, shipped):
    client.force_login(staff)
    invoice = Document.objects.get(order=shipped, kind="invoice")
    url = reverse("admin:billing_document_change", args=[invoice.pk])
    client.post(url, {"number": "FA-2026-99999", "total_incl_tax": "1.00"})
    assert Document.objects.get(pk=invoice.pk).number == invoice.number
    assert (
        client.post(reverse("admin:billing_document_delete", args=[invoice.pk])).status_code == 403
    )

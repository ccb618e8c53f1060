"""The customer's documents: listed by order, downloadable by their owner
and staff only (404 for anyone else), duplicate and proforma on a click."""

import pytest
from django.urls import reverse

from billing.documents.services import document_pdf
from billing.models import Document
from core.outbox.models import OutboxMessage
from orders.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(picking_order):
    order = picking_order()
    t.order_ship(order_id=order.pk, pickup=True)
    return Document.objects.get(order=order, kind="invoice")


def test_account_lists_documents_by_order(client, customer, invoice):
    client.force_login(customer)
    response = client.get(reverse("billing:documents"))
    assert response.status_code == 200
    page = response.content.decode()
    assert invoice.number in page and invoice.order.number in page
    assert reverse("billing:document-download", kwargs={"number": invoice.number}) in page
    # The account menu leads there.
    assert (
        reverse("billing:documents")
        in client.get(reverse("customer:profile-view")).content.decode()
    )


def test_empty_list_says_so(client, customer):
    client.force_login(customer)
    response = client.get(reverse("billing:documents"))
    assert response.status_code == 200
    assert response.context["order_groups"] == []


def test_owner_and_staff_download_others_get_404(client, customer, other_customer, staff, invoice):
    url = reverse("billing:document-download", kwargs={"number": invoice.number})
    client.force_login(customer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == document_pdf(invoice)
    assert "no-store" in response["Cache-Control"]

    client.force_login(other_customer)
    assert client.get(url).status_code == 404
    assert client.get(url.replace(invoice.number, "FA-2026-99999")).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_duplicate_button_queues_one_marked_email(client, customer, other_customer, invoice):
    url = reverse("billing:document-duplicate", kwargs={"number": invoice.number})
    client.force_login(other_customer)
    assert client.post(url).status_code == 404
    client.force_login(customer)
    response = client.post(url)
    assert response.status_code == 302
    email = OutboxMessage.objects.get(payload__duplicate=True)
    assert email.recipient == customer.email and email.ref == f"billing.document:{invoice.pk}"


def test_customer_gets_a_proforma_for_an_unpaid_transfer_order(
    client, customer, other_customer, picking_order
):
    order = picking_order(payment_method="transfer", paid_at=None, status="in_progress")
    url = reverse("billing:order-proforma", kwargs={"order_number": order.number})
    client.force_login(other_customer)
    assert client.post(url).status_code == 404
    client.force_login(customer)
    response = client.post(url)
    proforma = Document.objects.get(kind="proforma")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "billing:document-download", kwargs={"number": proforma.number}
    )


def test_order_page_links_its_documents_and_offers_a_proforma(client, customer, picking_order):
    """The customer's order page lists the order's documents; an unpaid
    transfer order offers the proforma button, a paid card order does not."""
    transfer = picking_order(payment_method="transfer", paid_at=None, status="in_progress")
    client.force_login(customer)
    page = client.get(reverse("customer:order", kwargs={"order_number": transfer.number}))
    proforma_url = reverse("billing:order-proforma", kwargs={"order_number": transfer.number})
    assert proforma_url in page.content.decode()

    card = picking_order()
    t.order_ship(order_id=card.pk, pickup=True)
    invoice = Document.objects.get(order=card, kind="invoice")
    page = client.get(reverse("customer:order", kwargs={"order_number": card.number}))
    html = page.content.decode()
    assert reverse("billing:document-download", kwargs={"number": invoice.number}) in html
    assert reverse("billing:order-proforma", kwargs={"order_number": card.number}) not in html

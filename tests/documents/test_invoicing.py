"""The order's documents: the invoice on shipping (or counter payment),
credit notes, proformas, delivery notes, and their emails."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from billing.documents import invoicing
from billing.documents.data import Line
from billing.documents.exceptions import DocumentError
from billing.documents.services import document_pdf
from billing.models import Document
from billing.signals import order_paid
from core.outbox.models import OutboxMessage
from core.outbox.services import messages_send_due
from orders.services import transitions as t

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def document_mails():
    """The emails carrying a document (order moves send their own too)."""
    return [m for m in mail.outbox if "X-Comptoir-Document" in m.extra_headers]


def ship(order):
    return t.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A123")


def test_shipping_issues_the_invoice_and_emails_it(
    picking_order, django_capture_on_commit_callbacks, eager_celery
):
    """Given a paid order being picked, when it ships, then its invoice is
    issued in the move's transaction with the order's lines and totals,
    and emailed to the customer with the PDF attached."""
    order = picking_order(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ship(order)

    invoice = Document.objects.get(order=order, kind="invoice")
    assert invoice.number.startswith("FA-")
    assert invoice.total_excl_tax == Decimal("85.00") and invoice.total_incl_tax == Decimal(
        "102.00"
    )
    assert invoice.customer == order.user
    text = pdf_text(document_pdf(invoice))
    assert invoice.number in text and order.number in text
    assert "€102.00" in text and "€17.00" in text
    assert "Metal film resistor 10 kΩ" in text
    with translation.override("en"):
        assert gettext("Paid") in text

    [email] = document_mails()
    assert email.to == [order.email]
    assert invoice.number in email.subject and "Invoice" in email.subject
    [(filename, content, mimetype)] = email.attachments
    assert filename == f"{invoice.number}.pdf" and mimetype == "application/pdf"
    assert content == document_pdf(invoice)
    assert OutboxMessage.objects.get(renderer="billing.document").status == "sent"


def test_email_left_pending_is_sent_by_the_sweep(picking_order):
    """Given the task never ran (broker down), the beat sweep sends it, once."""
    order = picking_order()
    ship(order)
    assert (
        OutboxMessage.objects.get(renderer="billing.document").status == "pending"
        and not document_mails()
    )
    assert messages_send_due() == 2  # the invoice's email and the move's
    assert messages_send_due() == 0
    [email] = document_mails()
    # In the customer's language (French here).
    with translation.override("fr"):
        assert gettext("Hello,") in email.body


def test_no_invoice_before_shipping(picking_order):
    order = picking_order()
    with pytest.raises(DocumentError, match="not shipped"):
        invoicing.invoice_issue(order_id=order.pk)
    assert not Document.objects.exists()


def test_no_second_invoice(picking_order):
    order = picking_order()
    ship(order)
    with pytest.raises(DocumentError, match="already has an invoice"):
        invoicing.invoice_issue(order_id=order.pk)
    assert Document.objects.filter(kind="invoice").count() == 1


def test_counter_sale_is_invoiced_when_paid_and_not_again_when_collected(picking_order):
    """Given a counter sale, when payments announce it is paid, then the
    invoice is issued (marked paid); shipping it later issues nothing more."""
    order = picking_order(payment_method="counter", paid_at=None)
    order_paid.send(sender=Document, order=order, payment=None)
    invoice = Document.objects.get(order=order, kind="invoice")
    with translation.override("fr"):
        assert gettext("Paid at the counter.") in pdf_text(document_pdf(invoice))
    t.order_ship(order_id=order.pk, pickup=True)
    assert Document.objects.filter(order=order, kind="invoice").count() == 1


def test_payment_of_a_card_order_issues_nothing(picking_order):
    order = picking_order()
    order_paid.send(sender=Document, order=order, payment=None)
    assert not Document.objects.exists()


def test_business_invoice_by_mandate(picking_order, institution):
    """An institution paying by mandate: due in 30 days, with its PO number,
    service code and the late-payment mentions; Factur-X."""
    order = picking_order(
        legal_entity=institution,
        purchase_order_number="BC-2026-0042",
        payment_method="mandate",
        paid_at=None,
    )
    ship(order)
    invoice = Document.objects.get(order=order, kind="invoice")
    text = pdf_text(document_pdf(invoice))
    assert "BC-2026-0042" in text and "SERV-LMI-042" in text and "D2192-35" in text
    assert "Université Claude Bernard Lyon 1" in text
    data = invoicing.document_data(invoice)
    assert (data.due_date - data.date).days == 30
    assert invoice.is_facturx and invoice.chorus_status == "pending"
    assert (
        OutboxMessage.objects.get(renderer="billing.document").recipient == "factures@univ.example"
    )


def test_credit_notes_refer_to_the_invoice_and_never_exceed_it(picking_order, staff):
    order = picking_order()
    ship(order)
    invoice = Document.objects.get(order=order, kind="invoice")
    partial = invoicing.credit_note_issue(
        invoice_id=invoice.pk,
        by=staff,
        reason="One resistor damaged",
        lines=[
            Line(
                description="Metal film resistor 10 kΩ",
                quantity=1,
                unit_price_excl="0.50",
                vat_rate="0.20",
            )
        ],
    )
    assert partial.number.startswith("AV-") and partial.refers_to == invoice
    assert partial.total_incl_tax == Decimal("0.60")
    text = pdf_text(document_pdf(partial))
    assert invoice.number in text and "One resistor damaged" in text
    with pytest.raises(DocumentError, match="more than its total"):
        invoicing.credit_note_issue(invoice_id=invoice.pk, by=staff, reason="all")
    refund = invoicing.credit_note_issue(
        invoice_id=invoice.pk,
        by=staff,
        reason="Goodwill",
        lines=invoicing.credit_lines_for_amount(invoice, Decimal("12.00"), "Commercial gesture"),
    )
    assert refund.total_incl_tax == Decimal("12.00")
    with pytest.raises(DocumentError):
        invoicing.credit_note_issue(invoice_id=partial.pk, by=staff)


def test_proforma_for_customers_of_unpaid_transfer_orders(picking_order, staff):
    transfer = picking_order(payment_method="transfer", paid_at=None, status="in_progress")
    first = invoicing.proforma_for_customer(order_id=transfer.pk, by=transfer.user)
    again = invoicing.proforma_for_customer(order_id=transfer.pk, by=transfer.user)
    assert first.pk == again.pk and first.number.startswith("PF-")
    assert "FR76 3000 6000 0112 3456 7890 189" in pdf_text(document_pdf(first))
    card = picking_order()
    with pytest.raises(DocumentError):
        invoicing.proforma_for_customer(order_id=card.pk, by=card.user)
    # Staff may issue one for any order not yet shipped.
    assert invoicing.proforma_issue(order_id=card.pk, by=staff).kind == "proforma"


def test_delivery_note_has_no_prices(picking_order, staff):
    order = picking_order()
    note = invoicing.delivery_note_issue(order_id=order.pk, by=staff, parcels=2)
    assert invoicing.delivery_note_issue(order_id=order.pk, by=staff, parcels=2).pk == note.pk
    text = pdf_text(document_pdf(note))
    assert note.number.startswith("BL-") and order.number in text
    assert "€" not in text.split("Comptoir Électronique SAS ·")[0].replace("10 000 €", "")
    other = picking_order(status="in_progress")
    with pytest.raises(DocumentError):
        invoicing.delivery_note_issue(order_id=other.pk, by=staff)


def test_duplicate_is_emailed_once_per_click(picking_order):
    order = picking_order()
    ship(order)
    invoice = Document.objects.get(kind="invoice")
    messages_send_due()
    mail.outbox.clear()
    first = invoicing.duplicate_request(document_id=invoice.pk, by=order.user)
    second = invoicing.duplicate_request(document_id=invoice.pk, by=order.user)
    assert first.pk == second.pk
    messages_send_due()
    [email] = document_mails()
    with translation.override("fr"):
        assert gettext("DUPLICATE") in pdf_text(email.attachments[0][1])
    assert email.to == [order.user.email]


def test_invoice_reproduces_the_order_to_the_cent(customer):
    """F10, issue 10: 10 × a part at 0,42 € HT plus delivery at 6,90 € TTC
    (5,75 HT). The order is 4,20 + 5,75 = 9,95 HT, VAT round(9,95 × 20 %) =
    1,99, 11,94 TTC; the invoice prints the agreed unit price 0,42 and the
    same totals, its lines summing to the base."""
    from orders.amounts import order_totals_store
    from tests.factories import make_order, make_product

    part = make_product("NE555P timer", price="0.42", stock=100, mpn="NE555P")
    order = make_order(lines=[(part, 10)], user=customer, status="picking", paid_at=timezone.now())
    order.shipping_incl_tax, order.shipping_excl_tax = Decimal("6.90"), Decimal("5.75")
    order.shipping_tax_code = "0.20"
    order.save()
    order_totals_store(order)
    assert order.total_incl_tax == Decimal("11.94")

    ship(order)
    invoice = Document.objects.get(order=order, kind="invoice")
    assert invoice.total_incl_tax == order.total_incl_tax == Decimal("11.94")
    data = invoicing.document_data(invoice)
    [vat] = data.vat_breakdown
    assert vat.rate == Decimal("0.20")
    assert (vat.base, vat.amount) == (Decimal("9.95"), Decimal("1.99"))
    assert sum(line.total_excl for line in data.lines) == vat.base == data.total_excl
    assert [line.unit_price_excl for line in data.lines] == [Decimal("0.42"), Decimal("5.75")]
    # The manufacturer part number, not our internal code (F11).
    assert data.lines[0].part_number == "NE555P"
    # Factur-X: schema-valid, the same figures (BR-CO-10/13/15/17).
    from billing.documents.facturx import build_xml

    xml = build_xml(data).decode()
    assert "<ram:ChargeAmount>0.42</ram:ChargeAmount>" in xml
    assert "<ram:LineTotalAmount>9.95</ram:LineTotalAmount>" in xml
    assert "<ram:BasisAmount>9.95</ram:BasisAmount>" in xml
    assert "<ram:CalculatedAmount>1.99</ram:CalculatedAmount>" in xml
    assert "<ram:GrandTotalAmount>11.94</ram:GrandTotalAmount>" in xml


def test_invoice_refused_when_it_would_not_match_the_order(picking_order):
    """An order whose stored total disagrees with its lines gets no invoice."""
    order = picking_order()
    order.total_incl_tax += Decimal("0.04")
    order.status = "shipped"
    order.save(update_fields=["total_incl_tax", "status"])
    with pytest.raises(DocumentError, match="would total"):
        invoicing.invoice_issue(order_id=order.pk)
    assert not Document.objects.filter(order=order, kind="invoice").exists()

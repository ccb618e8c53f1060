"""The balance after a refund with its credit note: what is owed drops by
the credit note, what is paid by the refund; the admin, the customer's
pages and the payment services read the same selector."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.documents import invoicing
from billing.payments import services
from billing.payments.selectors import (
    amount_owed,
    amount_paid,
    order_amount_due,
    order_balance,
    order_is_payable,
)
from orders.statuses import OrderStatus
from tests.factories import Order

from .conftest import transfer_order_in_progress

pytestmark = pytest.mark.django_db
D = Decimal


def test_refund_with_its_credit_note_leaves_nothing_due(staff_client, paid_signals):
    """Given an order paid 36.78 and shipped (invoiced), when staff issue a
    credit note of 25.85 and refund 25.85, then it owes 10.93, has paid
    10.93, and the admin offers no "record a payment"."""
    order = transfer_order_in_progress(total_units=1, price="30.65")
    assert order.total_incl_tax == D("36.78")
    paid = services.record_payment(order_id=order.pk, amount=D("36.78"), method="transfer")
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
    order.refresh_from_db()
    invoice = invoicing.invoice_issue(order_id=order.pk)
    invoicing.credit_note_issue(
        invoice_id=invoice.pk,
        reason="Returned",
        lines=invoicing.credit_lines_for_amount(invoice, D("25.85"), "Return"),
    )
    services.refund_payment(payment_id=paid.pk, amount=D("25.85"))
    order.refresh_from_db()

    assert amount_owed(order) == D("10.93")
    assert amount_paid(order) == D("10.93")
    assert order_balance(order) == D("0.00")
    assert order_amount_due(order) == D("0.00")
    assert not order_is_payable(order)

    html = staff_client.get(reverse("admin:order_order_change", args=[order.pk])).content.decode()
    assert 'class="payments-summary"' in html
    assert reverse("admin:billing_payment_record", args=[order.pk]) not in html
    assert "payment-balance--due" not in html
    assert "10.93" in html or "10,93" in html

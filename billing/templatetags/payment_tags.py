from datetime import timedelta

from django import template
from django.urls import reverse

from billing.payments.selectors import order_amount_due, order_payable_online, order_payments
from core.payment_methods import PaymentMethod

register = template.Library()


@register.simple_tag
def order_payment_info(order):
    """What the customer's order page shows of the money: the payments,
    what is still due (billing.payments.selectors.order_amount_due: nothing
    on a cancelled order), and the pay-now link while it can be paid
    online; for an order on deferred terms, the terms and the due date."""
    pay_url = ""
    if order_payable_online(order):
        pay_url = reverse("billing:pay", kwargs={"number": order.number})
        if not order.user_id:
            pay_url += "?h=" + order.verification_hash()
    method = PaymentMethod.of(order.payment_method)
    deferred = bool(method and method.is_deferred)
    return {
        "payments": list(order_payments(order)),
        "due": order_amount_due(order),
        "pay_url": pay_url,
        "deferred": deferred,
        "terms": method.help if deferred else "",
        "due_date": order_payment_due_date(order) if deferred else None,
    }


def order_payment_due_date(order):
    """When a deferred payment falls due: the mandate's term after the
    invoice's date, once invoiced (None before: "within N days of the invoice")."""
    from billing.documents.invoicing import MANDATE_DAYS, invoice_for

    invoice = invoice_for(order)
    return invoice.date + timedelta(days=MANDATE_DAYS) if invoice is not None else None

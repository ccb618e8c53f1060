from django import template
from django.urls import reverse

from billing.payments.providers import available_providers
from billing.payments.selectors import order_balance, order_is_payable, order_payments

register = template.Library()


@register.simple_tag
def order_payment_info(order):
    """What the customer's order page shows of the money: the payments,
    what is still due, and the pay-now link while it can be paid online."""
    pay_url = ""
    if order_is_payable(order) and available_providers():
        pay_url = reverse("billing:pay", kwargs={"number": order.number})
        if not order.user_id:
            pay_url += "?h=" + order.verification_hash()
    return {
        "payments": list(order_payments(order)),
        "balance": order_balance(order),
        "pay_url": pay_url,
    }

"""What the customer's order page and emails read of the order's rules
(orders.selectors): the actions offered, the one deadline, the method."""

from django import template

from core.payment_methods import PaymentMethod
from orders.selectors import order_customer_actions, order_deadline, order_reviewable

register = template.Library()


@register.simple_tag
def order_customer_state(order):
    method = PaymentMethod.of(order.payment_method)
    return {
        "actions": order_customer_actions(order),
        "deadline": order_deadline(order),
        "method": method,
        "awaits_transfer": method == PaymentMethod.TRANSFER
        and not order.is_paid
        and order_deadline(order) is not None,
    }


@register.filter
def reviewable(order) -> bool:
    """``{% if order|reviewable %}``: the "write a review" buttons show."""
    return order_reviewable(order)

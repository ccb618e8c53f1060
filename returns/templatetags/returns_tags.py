"""``{% order_returns_box order %}`` on the customer's order page: the
return button when a return is possible, why not otherwise (one rule,
returns.selectors.order_return_refusal), and the order's returns."""

from django import template

from returns import selectors as sel

register = template.Library()


@register.inclusion_tag("returns/partials/order_returns.html")
def order_returns_box(order):
    return {
        "order": order,
        "return_refusal": sel.order_return_refusal(order),
        "claim_refusal": sel.order_claim_refusal(order),
        "order_returns": list(sel.order_returns(order)),
    }

"""Whether a payment method may be used, and why not: the one rule that the
checkout, quote acceptance and the pay page all ask (DESIGN.md, "Payment
methods"). The vocabulary itself is ``core.payment_methods``; this rule
needs the shop's state (configured providers, verified institutions), so it
lives here, where those are reachable.

- card and PayPal: everyone, when their provider is configured; never to
  "pay now" an order on deferred terms (mandate);
- bank transfer and cheque: everyone;
- cash or card at the counter: only when the order is collected at a counter;
- administrative mandate: only a verified public institution of the account,
  and then with its purchase order.
"""

from django.utils.translation import gettext as _

from billing.payments.providers import provider_configured
from core.payment_methods import PaymentMethod
from shop.customer.selectors import may_pay_by_mandate


def payment_methods_on_offer() -> list[PaymentMethod]:
    """The methods the shop offers at all, in the vocabulary's order: card
    and PayPal only when their provider is configured. The footer, quotes,
    pages and emails mention these and no other; who may use which, and
    when, is ``payment_method_refusal``."""
    return [
        method for method in PaymentMethod if not method.is_online or provider_configured(method)
    ]


def payment_method_refusal(
    *,
    code: str,
    user=None,
    entity=None,
    pickup: bool = False,
    purchase_order_number: str | None = None,
    order=None,
) -> str | None:
    """Why ``code`` may not be used (a message for the customer), or None.

    For a checkout or a quote, give the customer (``user``), the billed
    ``entity`` and whether the goods are collected at a counter (``pickup``;
    the caller knows its delivery). For an order already placed, give
    ``order``: its customer and entity are used, and an order on deferred
    terms is never paid online. ``purchase_order_number``, when given, must be present for
    a method that needs one (None: the caller checks its own field).
    """
    method = PaymentMethod.of(code)
    if method is None:
        return _("This payment method does not exist.")
    if order is not None:
        user, entity = order.user, order.legal_entity
        ordered_with = PaymentMethod.of(order.payment_method)
        if method.is_online and ordered_with is not None and ordered_with.is_deferred:
            return _(
                "This order is paid on deferred terms (%(method)s): there is nothing to pay now."
            ) % {"method": ordered_with.label}
    if method not in payment_methods_on_offer():
        return _("This payment method is not available at the moment: choose another one.")
    if method.pickup_only and not pickup:
        return _("Payment at the counter is only possible when you collect your order.")
    if method.needs_purchase_order:
        if not may_pay_by_mandate(user, entity):
            return _(
                "Payment by administrative mandate is reserved to verified public "
                "institutions: choose the institution billed, or another method."
            )
        if purchase_order_number is not None and not purchase_order_number.strip():
            return _("A payment by administrative mandate needs your purchase order number.")
    return None


def payment_methods_available(**context) -> list[PaymentMethod]:
    """The methods allowed in this context (same arguments as
    ``payment_method_refusal`` without ``code``), in the vocabulary's order."""
    return [
        method
        for method in PaymentMethod
        if payment_method_refusal(code=method.value, **context) is None
    ]

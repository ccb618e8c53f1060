"""Which payment methods a checkout may offer, in one place (DESIGN.md,
"Payment methods"). The checkout form, the review and the placing all ask
here, so a forged POST meets the same rule as the page.

- card and PayPal: everyone, when their provider is configured;
- bank transfer and cheque: everyone;
- cash or card at the counter: only when the order is collected at a counter;
- administrative mandate: only a verified public institution of the account
  (``may_pay_by_mandate``), and then with its purchase order number.
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.payments.providers import provider_configured
from shop.customer.selectors import may_pay_by_mandate
from shop.shipping.pricing import is_pickup_code


class PaymentMethod(models.TextChoices):
    CARD = "card", gettext_lazy("Bank card")
    PAYPAL = "paypal", gettext_lazy("PayPal")
    TRANSFER = "transfer", gettext_lazy("Bank transfer")
    CHEQUE = "cheque", gettext_lazy("Cheque")
    COUNTER = "counter", gettext_lazy("Cash or card at the counter")
    MANDATE = "mandate", gettext_lazy("Administrative mandate")


# Paid online right after placing, on billing's payment page.
ONLINE = frozenset({PaymentMethod.CARD, PaymentMethod.PAYPAL})

HELP = {
    PaymentMethod.CARD: gettext_lazy("Visa, Mastercard, CB: pay securely on the next page."),
    PaymentMethod.PAYPAL: gettext_lazy("Pay with your PayPal account on the next page."),
    PaymentMethod.TRANSFER: gettext_lazy(
        "We send you our bank details; the items are held for you for 7 days."
    ),
    PaymentMethod.CHEQUE: gettext_lazy("Send a cheque to our address; we ship when it arrives."),
    PaymentMethod.COUNTER: gettext_lazy("Pay in cash or by card when you collect your order."),
    PaymentMethod.MANDATE: gettext_lazy(
        "For public bodies: pay within 30 days of the invoice, against your purchase order."
    ),
}


def method_label(code: str) -> str:
    return str(PaymentMethod(code).label) if code in PaymentMethod.values else code


def payment_methods_available(*, user, entity, shipping_code: str) -> list[str]:
    """The codes offered for this buyer, billed entity and delivery, in order."""
    return [
        code
        for code in PaymentMethod.values
        if payment_method_refusal(code=code, user=user, entity=entity, shipping_code=shipping_code)
        is None
    ]


def payment_methods_on_offer() -> list[str]:
    """The methods the shop offers at all, in order: card and PayPal only
    when their provider is configured. The footer, quotes, pages and emails
    mention these and no other; who may use which is
    ``payment_methods_available``."""
    return [
        code for code in PaymentMethod.values if code not in ONLINE or provider_configured(code)
    ]


def payment_method_refusal(*, code: str, user, entity, shipping_code: str) -> str | None:
    """Why ``code`` may not be used here (a message for the customer), or None."""
    if code not in PaymentMethod.values:
        return _("This payment method does not exist.")
    if code not in payment_methods_on_offer():
        return _("This payment method is not available at the moment: choose another one.")
    if code == PaymentMethod.COUNTER and not is_pickup_code(shipping_code):
        return _("Payment at the counter is only possible when you collect your order.")
    if code == PaymentMethod.MANDATE and not may_pay_by_mandate(user, entity):
        return _(
            "Payment by administrative mandate is reserved to verified public "
            "institutions: choose the institution billed, or another method."
        )
    return None


def requires_purchase_order(code: str) -> bool:
    return code == PaymentMethod.MANDATE

"""The one vocabulary of payment methods (DESIGN.md, "Payment methods").

Every app reads it: the order's ``payment_method`` and billing's payment
rows store these codes, checkout and quote acceptance offer them, templates
and the admin show their one label. What depends on the shop's state
(which providers are configured, which institutions are verified) is not
here: ``billing.payments.methods.payment_method_refusal`` says whether a
method may be used for a customer, an order or a quote, and why not.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Bank card")
    PAYPAL = "paypal", _("PayPal")
    TRANSFER = "transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    COUNTER = "counter", _("Cash or card at the counter")
    MANDATE = "mandate", _("Administrative mandate")

    @classmethod
    def of(cls, code: str | None) -> "PaymentMethod | None":
        """The method stored as ``code``, or None (empty, or an unknown code)."""
        return cls(code) if code in cls.values else None

    @property
    def is_online(self) -> bool:
        """Paid online through a provider (Stripe, PayPal), on the pay page."""
        return self in (PaymentMethod.CARD, PaymentMethod.PAYPAL)

    @property
    def is_deferred(self) -> bool:
        """Paid after the invoice, within agreed terms: the order goes on
        before it is paid (placing with it is a commitment), and nobody is
        asked to "pay now"."""
        return self == PaymentMethod.MANDATE

    @property
    def needs_purchase_order(self) -> bool:
        return self == PaymentMethod.MANDATE

    @property
    def moves_on_when_paid(self) -> bool:
        """Money that arrives by itself (a transfer, a cheque in the post):
        its arrival commits the order, as the customer's confirmation would."""
        return self in (PaymentMethod.TRANSFER, PaymentMethod.CHEQUE)

    @property
    def recorded_by_staff(self) -> bool:
        """Staff record the money received (online methods come from their provider)."""
        return not self.is_online

    @property
    def pickup_only(self) -> bool:
        return self == PaymentMethod.COUNTER

    @property
    def help(self) -> str:
        """What the customer reads about it: how and when it is paid."""
        return str(_HELP[self])


_HELP = {
    PaymentMethod.CARD: _("Visa, Mastercard, CB: pay securely on the next page."),
    PaymentMethod.PAYPAL: _("Pay with your PayPal account on the next page."),
    PaymentMethod.TRANSFER: _(
        "We send you our bank details; the items are held for you for 7 days."
    ),
    PaymentMethod.CHEQUE: _("Send a cheque to our address; we ship when it arrives."),
    PaymentMethod.COUNTER: _("Pay in cash or by card when you collect your order."),
    PaymentMethod.MANDATE: _(
        "For public bodies: pay within 30 days of the invoice, against your purchase order."
    ),
}


def payment_method_label(code: str | None) -> str:
    """The one label of a stored code (the code itself if unknown, "" if empty)."""
    method = PaymentMethod.of(code)
    return str(method.label) if method else (code or "")

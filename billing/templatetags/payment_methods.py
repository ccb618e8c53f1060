"""What templates (pages, footer, emails) say about payment methods: only
those on offer (billing.payments.methods.payment_methods_on_offer)."""

from django import template

from billing.payments.methods import payment_methods_on_offer
from core.payment_methods import PaymentMethod

register = template.Library()

# Who takes the payment of an online method (named in the legal pages).
PROVIDERS = {PaymentMethod.CARD: "Stripe", PaymentMethod.PAYPAL: "PayPal"}

ICONS = {
    PaymentMethod.CARD: "card",
    PaymentMethod.PAYPAL: "paypal",
    PaymentMethod.TRANSFER: "bank",
    PaymentMethod.CHEQUE: "cheque",
    PaymentMethod.COUNTER: "card",
    PaymentMethod.MANDATE: "mandate",
}


@register.simple_tag
def payment_methods_offered(*codes):
    """``{% payment_methods_offered "card" "paypal" as methods %}``: the
    methods on offer among ``codes`` (all when none is named), each with
    its ``code``, ``label`` and ``icon``; ``methods.codes`` for tests like
    ``{% if "paypal" in methods.codes %}``."""
    offered = [code for code in payment_methods_on_offer() if not codes or code in codes]
    return OfferedMethods(
        {"code": code, "label": PaymentMethod(code).label, "icon": ICONS[code]} for code in offered
    )


class OfferedMethods(list):
    @property
    def codes(self) -> list[str]:
        return [method["code"] for method in self]

    @property
    def providers(self) -> str:
        """The online payment providers on offer, by name ("Stripe, PayPal")."""
        return ", ".join(PROVIDERS[code] for code in self.codes if code in PROVIDERS)

    @property
    def labels(self) -> str:
        """The labels joined with commas, for a sentence."""
        return ", ".join(str(method["label"]) for method in self)

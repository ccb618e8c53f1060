"""Checkout forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm

from billing.payments.methods import payment_method_refusal
from core.antibot import BotGuardMixin
from core.payment_methods import PaymentMethod
from shop.customer.models import LegalEntity
from shop.customer.selectors import legal_entities_for
from shop.shipping.pricing import is_pickup_code


class GatewayForm(BotGuardMixin, OscarGatewayForm):
    """Sign in, register or go on as a guest: guarded against bots."""

    antibot_scope = "checkout-gateway"


class PaymentMethodForm(forms.Form):
    """Step 4: who is billed, and how they pay. Every payment method is a
    valid choice for the field; whether it is allowed here is the rule of
    ``billing.payments.methods`` (so a forged POST gets that rule's message)."""

    legal_entity = forms.ModelChoiceField(
        queryset=LegalEntity.objects.none(),
        required=False,
        label=_("Billed to"),
        empty_label=_("Myself, as a private person"),
    )
    billing_same_as_shipping = forms.BooleanField(
        required=False, initial=True, label=_("The billing address is the delivery address")
    )
    payment_method = forms.ChoiceField(
        choices=PaymentMethod.choices, widget=forms.RadioSelect, label=_("Payment method")
    )
    purchase_order_number = forms.CharField(
        required=False,
        max_length=64,
        label=_("Purchase order number"),
        help_text=_("The number of your purchase order (bon de commande), printed on the invoice."),
    )

    def __init__(self, *args, user, shipping_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.shipping_code = user, shipping_code
        entities = legal_entities_for(user)
        self.fields["legal_entity"].queryset = entities
        self.has_entities = entities.exists()
        if not self.has_entities:
            del self.fields["legal_entity"]

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("payment_method")
        if not code:
            return cleaned
        refusal = payment_method_refusal(
            code=code,
            user=self.user,
            entity=cleaned.get("legal_entity"),
            pickup=is_pickup_code(self.shipping_code),
        )
        needs_purchase_order = PaymentMethod(code).needs_purchase_order
        if refusal:
            self.add_error("payment_method", refusal)
        elif needs_purchase_order and not cleaned.get("purchase_order_number", "").strip():
            self.add_error(
                "purchase_order_number",
                _("A payment by administrative mandate needs your purchase order number."),
            )
        if not needs_purchase_order:
            cleaned["purchase_order_number"] = ""
        return cleaned


class TermsForm(forms.Form):
    """The review's one question: the terms of sale, accepted explicitly."""

    accept_terms = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please accept the terms of sale to place your order.")},
    )
    # The basket the customer reviewed: a second submit of the same page
    # (double click, back button, another tab) finds the order it made.
    basket_id = forms.IntegerField(widget=forms.HiddenInput)
    # The total shown: a basket changed since (in another tab) is reviewed again.
    total = forms.DecimalField(widget=forms.HiddenInput, decimal_places=2, max_digits=12)

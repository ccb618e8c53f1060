"""The admin's forms: answering (with canned replies), opening a thread on
a customer's behalf, asking suppliers, recording a supplier's offer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procurement.forms import MultipleFileField
from procurement.models import QuoteRequestLine, Supplier

from .canned import canned_choices
from .forms import AttachmentsMixin
from .models import ConversationKind
from .services.threads import MAX_BODY


class AnswerForm(AttachmentsMixin, forms.Form):
    canned = forms.ChoiceField(label=_("Canned reply"), choices=canned_choices, required=False)
    body = forms.CharField(
        label=_("Answer"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )
    attachments = MultipleFileField(label=_("Files (PDF or images)"), required=False)


class OpenForm(forms.Form):
    """A thread opened for a customer who called or wrote a letter."""

    KINDS = [
        (ConversationKind.ORDER, _("About an order")),
        (ConversationKind.QUOTE_REQUEST, _("About a quote request")),
        (ConversationKind.CONTACT, _("Another question")),
    ]
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    order_number = forms.CharField(label=_("Order number"), required=False)
    quote_request_number = forms.CharField(label=_("Quote request number"), required=False)
    email = forms.EmailField(
        label=_("Customer's email"),
        required=False,
        help_text=_("For another question: where our answers go."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    body = forms.CharField(
        label=_("What the customer asked"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Recorded as the customer's message (by phone or letter); not emailed."),
    )


class AskSuppliersForm(forms.Form):
    suppliers = forms.ModelMultipleChoiceField(
        label=_("Suppliers"),
        queryset=Supplier.objects.exclude(email="").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only suppliers with an email address."),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
    )


class OfferForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Request line"), queryset=QuoteRequestLine.objects.none())
    supplier_reference = forms.CharField(label=_("Supplier reference"), required=False)
    unit_cost = forms.DecimalField(label=_("Unit cost (€)"), min_value=0, decimal_places=4)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=365)
    shipping_cost = forms.DecimalField(
        label=_("Shipping cost (€)"), min_value=0, decimal_places=2, required=False
    )
    quantity_available = forms.IntegerField(
        label=_("Quantity available"), min_value=0, required=False
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, quote_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quote_request is not None:
            self.fields["line"].queryset = quote_request.lines.all()

"""Forms of the staff steps (send a quote, decline, supplier order moves,
goods receipt). They only collect input; the services decide."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}


class SendQuoteForm(forms.Form):
    shipping = forms.DecimalField(
        label=_("Shipping (€ excl. VAT)"),
        required=False,
        help_text=_("Empty: the chosen offers' shipping costs."),
        **MONEY,
    )
    handling_fee = forms.DecimalField(label=_("Handling fee (€ excl. VAT)"), **MONEY)
    research_fee = forms.DecimalField(
        label=_("Research fee (€ excl. VAT)"),
        initial=Decimal("0"),
        help_text=_("For a long search only."),
        **MONEY,
    )
    validity_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_fee"].initial = Decimal(settings.COMPTOIR_PROCUREMENT_HANDLING_FEE)
        self.fields["validity_days"].initial = settings.COMPTOIR_QUOTE_VALIDITY_DAYS


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the customer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrderedForm(forms.Form):
    supplier_order_number = forms.CharField(label=_("Supplier's order number"), max_length=64)
    expected_on = forms.DateField(
        label=_("Expected on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), required=False)


class InTransitForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
    expected_on = forms.DateField(
        label=_("Expected on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), required=False)


class ReceiptForm(forms.Form):
    """One quantity / matches / note trio per supplier order line."""

    note = forms.CharField(label=_("Note on the parcel"), required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            left = max(line.quantity - line.quantity_received, 0)
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=_("%(title)s: received (of %(left)d awaited)")
                % {"title": line.title, "left": left},
                min_value=0,
                max_value=100_000,
                initial=left,
            )
            self.fields[f"matches_{line.pk}"] = forms.BooleanField(
                label=_("Matches the order"), required=False, initial=True
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=255
            )


def received_lines(lines, data) -> list:
    """The ReceiptForm's cleaned data as the service takes it."""
    from procurement.services.supplier_orders import ReceivedLine

    return [
        ReceivedLine(
            supplier_order_line_id=line.pk,
            quantity=data[f"qty_{line.pk}"],
            matches=data[f"matches_{line.pk}"],
            note=data[f"note_{line.pk}"],
        )
        for line in lines
    ]

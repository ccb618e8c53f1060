"""Staff forms of the admin: record what was received, refund."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .services import STAFF_METHODS


class RecordPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(m.value, m.label) for m in STAFF_METHODS],
    )
    amount = AmountField(label=_("Amount received (EUR)"))
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=128,
        required=False,
        help_text=_("Cheque number, transfer reference, counter receipt number."),
    )
    note = forms.CharField(
        label=_("Note (staff only)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return received_on


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount to refund (EUR)"))
    note = forms.CharField(
        label=_("Reason (staff only)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

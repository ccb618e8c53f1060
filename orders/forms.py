from django import forms
from django.utils.translation import gettext_lazy as _


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the customer (shown on their order page)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(TransitionForm):
    note = forms.CharField(
        label=_("Reason (sent to the customer)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ShipForm(TransitionForm):
    carrier = forms.CharField(label=_("Carrier"), max_length=64, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64, required=False)
    pickup = forms.BooleanField(
        label=_("Ready for pickup at the shop (instead of shipping)"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("pickup") and not (data.get("carrier") and data.get("tracking_number")):
            raise forms.ValidationError(
                _("Give the carrier and the tracking number, or choose pickup.")
            )
        return data

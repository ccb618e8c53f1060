from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField
from procurement.forms import MultipleFileField, MultipleFileInput

from .statuses import ClaimKind


class TrackingForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=64)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class BankDetailsForm(forms.Form):
    holder = forms.CharField(
        label=_("Account holder"), max_length=140, widget=forms.TextInput({"class": "form-control"})
    )
    iban = forms.CharField(
        label=_("IBAN"), max_length=42, widget=forms.TextInput({"class": "form-control"})
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        widget=forms.TextInput({"class": "form-control"}),
    )


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=ClaimKind.choices,
        widget=forms.Select(attrs={"class": "form-control"}),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=4000,
    )
    # Several photos in one input (the parcel, the goods...).
    photos = MultipleFileField(
        label=_("Photos of the parcel and the goods"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/*,application/pdf", "class": "form-control-file"}
        ),
    )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the customer"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        max_length=4000,
    )


class RequiredMessageForm(MessageForm):
    message = forms.CharField(
        label=_("Message to the customer (the reason)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=4000,
    )


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount to refund (incl. VAT)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReceiveForm(NoteForm):
    """The parcel is in: per line, how many units are sound (back on sale)."""

    def __init__(self, *args, ret, **kwargs):
        from .selectors import sound_units_default

        super().__init__(*args, **kwargs)
        self.rows = list(ret.lines.select_related("line").order_by("pk"))
        fields = {}
        for row in self.rows:
            fields[f"sound-{row.pk}"] = forms.IntegerField(
                label=_("“%(title)s”: sound units (back in stock)") % {"title": row.line.title},
                min_value=0,
                max_value=row.quantity,
                initial=sound_units_default(row),
                help_text=_("%(units)d returned; reason: %(reason)s")
                % {"units": row.quantity, "reason": row.get_reason_display()},
            )
        # The units first, the note last.
        self.fields = {**fields, "note": self.fields["note"]}

    def sound(self) -> dict[int, int]:
        return {row.pk: self.cleaned_data[f"sound-{row.pk}"] for row in self.rows}

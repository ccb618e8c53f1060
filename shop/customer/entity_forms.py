"""The account's organisations (legal entities), as the customer edits them."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat
from stdnum.fr import siret

from .models import LegalEntity


def bootstrap(form) -> None:
    """The storefront's input look (Bootstrap's form-control) on every
    typed field; radios, checkboxes and files keep their own."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.FileInput):
            continue
        if not widget.is_hidden:
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} form-control".strip()


class LegalEntityForm(forms.ModelForm):
    class Meta:
        model = LegalEntity
        fields = (
            "kind",
            "name",
            "siret",
            "vat_number",
            "line1",
            "line2",
            "postcode",
            "city",
            "country",
            "chorus_service_code",
            "invoice_email",
        )
        widgets = {"kind": forms.RadioSelect}
        help_texts = {
            "siret": _("14 digits, spaces allowed. Required for a public institution."),
            "vat_number": _("For example FR44732829320."),
            "chorus_service_code": _(
                "Public institutions: the service code your e-invoices go to on Chorus Pro."
            ),
            "country": _("Two letters, for example FR."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Spaces and dots are compacted before the length is checked.
        for name in ("siret", "vat_number"):
            field = self.fields[name]
            field.max_length = None
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs.pop("maxlength", None)
        bootstrap(self)

    def clean_siret(self):
        value = self.cleaned_data.get("siret", "")
        return siret.compact(value) if value else ""

    def clean_vat_number(self):
        value = self.cleaned_data.get("vat_number", "")
        if not value:
            return ""
        try:
            # compact() already raises for a number without its country
            # prefix ("44732829320"): a form error, not a 500 (issue 12).
            return vat.compact(value)
        except stdnum_errors.ValidationError:
            raise forms.ValidationError(
                _("Start the VAT number with its country code, for example FR44732829320."),
                code="invalid",
            ) from None

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()

    def clean(self):
        data = super().clean()
        public = data.get("kind") == LegalEntity.Kind.PUBLIC_BODY
        if public and not data.get("siret") and "siret" not in self.errors:
            self.add_error("siret", _("A public institution needs its SIRET."))
        return data

"""Customer forms: the quote request (contact + lines + files), accepting,
declining, and the purchase order. Files are checked from their content
here, at the edge; the rules are in procurement.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.payments.methods import payment_methods_available
from core.antibot import BotGuardMixin
from shop.customer.entity_forms import bootstrap
from shop.customer.selectors import legal_entities_for

from .models import MAX_QUANTITY
from .services.acceptance import DeliveryInput
from .services.requests import MAX_LINES, FileInput, LineInput
from .services.uploads import check_upload

MAX_FILES_PER_LINE = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []

    def has_changed(self, initial, data):
        # An empty file list leaves an untouched extra line untouched.
        return bool(data)


ORGANISATION_FIELDS = (
    "organisation_name",
    "organisation_address",
    "organisation_siret",
    "organisation_service_code",
)


class QuoteRequestForm(BotGuardMixin, forms.Form):
    antibot_scope = "quote-request"

    contact_name = forms.CharField(label=_("Your name"), max_length=255)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        help_text=_("Company, laboratory, school… if you buy for one."),
    )
    organisation_address = forms.CharField(
        label=_("Organisation's address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Street, postcode and city: the quote is addressed to the organisation."),
    )
    organisation_siret = forms.CharField(
        label=_("Organisation's SIRET"), max_length=20, required=False
    )
    organisation_service_code = forms.CharField(
        label=_("Chorus Pro service code"),
        max_length=100,
        required=False,
        help_text=_("Public bodies: the service to invoice on Chorus Pro, if you have one."),
    )
    legal_entity = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("Myself (no organisation)"),
    )
    message = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user:
            self.fields["legal_entity"].queryset = legal_entities_for(self.user)
            self.fields["contact_name"].initial = self.user.get_full_name()
            self.fields["email"].initial = self.user.email
            for name in ORGANISATION_FIELDS:
                del self.fields[name]
        else:
            del self.fields["legal_entity"]
            self.fields["phone"].required = True
            self.fields["phone"].help_text = _("So we can call you about your request.")
        bootstrap(self)

    def clean_organisation_siret(self):
        from stdnum.fr import siret

        value = siret.compact(self.cleaned_data.get("organisation_siret") or "")
        if value and not siret.is_valid(value):
            raise forms.ValidationError(_("This SIRET is not valid (14 digits)."))
        return value

    def clean(self):
        data = super().clean()
        details = ("organisation_address", "organisation_siret", "organisation_service_code")
        if any(data.get(name) for name in details) and not data.get("organisation_name"):
            self.add_error("organisation_name", _("Name the organisation these details are for."))
        return data


class LineForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=128, required=False)
    part_number = forms.CharField(label=_("Part number"), max_length=128, required=False)
    supplier_reference = forms.CharField(
        label=_("Or a supplier's reference"), max_length=128, required=False
    )
    description = forms.CharField(
        label=_("Or a description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What it is, what it is for, key characteristics."),
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages={
            "min_value": _("The quantity must be at least 1."),
            "max_value": _("The quantity must be at most %(limit_value)s."),
        },
    )
    wished_date = forms.DateField(
        label=_("Wished delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    files = MultipleFileField(
        label=_("Files (datasheet, photo, specification)"),
        required=False,
        help_text=_("PDF or image, 10 MB at most each."),
    )

    def clean_wished_date(self):
        wished = self.cleaned_data.get("wished_date")
        if wished and wished < timezone.localdate():
            raise forms.ValidationError(_("The wished date is in the past."))
        return wished

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_LINE:
            raise forms.ValidationError(
                _("At most %(max)d files per line.") % {"max": MAX_FILES_PER_LINE}
            )
        return [FileInput(check_upload(upload), upload.name) for upload in files]

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("part_number", "supplier_reference", "description")):
            raise forms.ValidationError(
                _("Give a part number, a supplier reference or a description.")
            )
        return data

    def to_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            quantity=data["quantity"],
            manufacturer=data["manufacturer"].strip(),
            part_number=data["part_number"].strip(),
            supplier_reference=data["supplier_reference"].strip(),
            description=data["description"].strip(),
            wished_date=data.get("wished_date"),
        )


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.filled_forms():
            raise forms.ValidationError(_("Your request is empty: describe at least one item."))

    def filled_forms(self):
        return [
            form
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data
        ]


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


PICKUP, NEW_ADDRESS = "pickup", "new"


def _shipping_countries():
    from oscar.core.loading import get_model

    countries = get_model("address", "Country").objects.filter(is_shipping_country=True)
    return [(country.pk, country.printable_name) for country in countries] or [("FR", "France")]


class DeliveryFields(forms.Form):
    """Where the goods of an accepted quote go: one of the account's
    addresses, an organisation's, a new address, or a pickup at the shop.
    Mixed into the accept and purchase-order forms."""

    delivery = forms.ChoiceField(label=_("Delivery"), widget=forms.RadioSelect)
    delivery_name = forms.CharField(
        label=_("Recipient (person or department)"), max_length=255, required=False
    )
    delivery_line1 = forms.CharField(label=_("Address"), max_length=255, required=False)
    delivery_line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    delivery_postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    delivery_city = forms.CharField(label=_("City"), max_length=128, required=False)
    delivery_country = forms.ChoiceField(label=_("Country"), required=False)

    NEW_ADDRESS_FIELDS = ("delivery_line1", "delivery_postcode", "delivery_city")

    def setup_delivery(self, user, *, initial_entity=None):
        self._saved = {}
        choices = []
        addresses = user.addresses.all() if user is not None and user.is_authenticated else []
        for address in addresses:
            key = f"address-{address.pk}"
            self._saved[key] = DeliveryInput(
                name=address.name,
                line1=address.line1,
                line2=address.line2,
                postcode=address.postcode,
                city=address.line4,
                country=address.country_id,
            )
            choices.append((key, ", ".join(address.active_address_fields())))
        for entity in legal_entities_for(user):
            key = f"entity-{entity.pk}"
            self._saved[key] = DeliveryInput(
                name=entity.name,
                line1=entity.line1,
                line2=entity.line2,
                postcode=entity.postcode,
                city=entity.city,
                country=entity.country,
            )
            choices.append((key, f"{entity.name}, {entity.line1}, {entity.postcode} {entity.city}"))
        choices += [
            (NEW_ADDRESS, _("Another address (below)")),
            (PICKUP, _("Collected at the shop (no shipping charged)")),
        ]
        field = self.fields["delivery"]
        field.choices = choices
        default = next((a for a in addresses if a.is_default_for_shipping), None)
        if default is not None:
            field.initial = f"address-{default.pk}"
        elif initial_entity is not None:
            field.initial = f"entity-{initial_entity.pk}"
        elif self._saved:
            field.initial = next(iter(self._saved))
        # Nothing saved (a guest): the customer says where, or pickup.
        self.fields["delivery_country"].choices = _shipping_countries()
        self.fields["delivery_country"].initial = "FR"

    def clean(self):
        data = super().clean()
        if data.get("delivery") == NEW_ADDRESS:
            for name in self.NEW_ADDRESS_FIELDS:
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Needed for a delivery to another address."))
        return data

    def delivery_input(self) -> DeliveryInput:
        choice = self.cleaned_data["delivery"]
        if choice == PICKUP:
            return DeliveryInput(pickup=True)
        if choice == NEW_ADDRESS:
            data = self.cleaned_data
            return DeliveryInput(
                name=data["delivery_name"],
                line1=data["delivery_line1"],
                line2=data["delivery_line2"],
                postcode=data["delivery_postcode"],
                city=data["delivery_city"],
                country=data["delivery_country"] or "FR",
            )
        return self._saved[choice]


class AcceptForm(DeliveryFields):
    payment_method = forms.ChoiceField(
        label=_("How will you pay?"),
        widget=forms.RadioSelect,
    )
    legal_entity = forms.ModelChoiceField(
        label=_("Invoice to"), queryset=None, required=False, empty_label=_("Myself")
    )

    field_order = ["payment_method", "legal_entity", "delivery"]

    def __init__(self, *args, user=None, initial_entity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_entity"].queryset = legal_entities_for(user)
        self.fields["legal_entity"].initial = initial_entity
        if not self.fields["legal_entity"].queryset.exists():
            del self.fields["legal_entity"]
        self.setup_delivery(user, initial_entity=initial_entity)
        # The one rule (billing.payments.methods): card and PayPal only when
        # their provider can take the payment now; the mandate comes with a
        # purchase order, through its own form.
        self.fields["payment_method"].choices = [
            (method.value, method.label)
            for method in payment_methods_available(user=user, purchase_order_number="")
        ]
        bootstrap(self)


class DeclineForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    reason = forms.CharField(
        label=_("Why are you declining? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PurchaseOrderForm(DeliveryFields):
    number = forms.CharField(label=_("Purchase order number"), max_length=64)
    file = forms.FileField(
        label=_("Purchase order (PDF)"),
        help_text=_("Signed PDF, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    legal_entity = forms.ModelChoiceField(label=_("Institution billed"), queryset=None)

    field_order = ["number", "file", "legal_entity", "delivery"]

    def __init__(self, *args, user=None, institutions=None, **kwargs):
        # Beside the accept form on one page: ids of its own (names unchanged).
        kwargs.setdefault("auto_id", "po_%s")
        super().__init__(*args, **kwargs)
        self.fields["legal_entity"].queryset = institutions
        initial_entity = None
        if institutions is not None and institutions.count() == 1:
            initial_entity = self.fields["legal_entity"].initial = institutions.first()
        self.fields["delivery"].help_text = _("Where your purchase order says to deliver.")
        self.setup_delivery(user, initial_entity=initial_entity)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return FileInput(check_upload(upload, images=False), upload.name)

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat
from stdnum.fr import siret


class CustomerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Owns the customer's orders once they are in progress.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_customers",
        limit_choices_to={"is_staff": True},
    )
    mobile = PhoneNumberField(_("mobile number"), blank=True)
    sms_opt_in = models.BooleanField(_("agrees to order updates by SMS"), default=False)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self):
        return str(self.user)

    @property
    def sms_number(self) -> str:
        """Where SMS may be sent: only with the customer's consent."""
        return str(self.mobile) if self.sms_opt_in and self.mobile else ""


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("This SIRET is not valid (14 digits with a correct checksum).")
        ) from exc


def validate_vat_number(value: str) -> None:
    try:
        vat.validate(value)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(_("This intra-EU VAT number is not valid.")) from exc


def _compact(number_module, value: str) -> str:
    """The number without spaces or dots; kept as typed when it cannot be
    read (compact() raises for a VAT number without its country prefix):
    the field's validator has already said what is wrong (issue 12)."""
    if not value:
        return ""
    try:
        return number_module.compact(value)
    except stdnum_errors.ValidationError:
        return value


class LegalEntity(models.Model):
    """A company or public body an account buys for: what its quotes,
    orders and invoices are made out to. One account may hold several."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PUBLIC_BODY = "public", _("Public institution")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="legal_entities",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("legal name"), max_length=255)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    vat_number = models.CharField(
        _("intra-EU VAT number"), max_length=20, blank=True, validators=[validate_vat_number]
    )
    line1 = models.CharField(_("address"), max_length=255)
    line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16)
    city = models.CharField(_("city"), max_length=128)
    country = models.CharField(_("country code"), max_length=2, default="FR")
    # Chorus Pro: the buyer's "code service", printed on its e-invoices.
    chorus_service_code = models.CharField(_("Chorus Pro service code"), max_length=100, blank=True)
    invoice_email = models.EmailField(_("email for invoices"), blank=True)
    # Set by staff after checking the body (only these may pay by mandate).
    verified_at = models.DateTimeField(
        _("verified public institution since"), null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        self.siret = _compact(siret, self.siret)
        self.vat_number = _compact(vat, self.vat_number)

    @property
    def is_verified_institution(self) -> bool:
        return self.kind == self.Kind.PUBLIC_BODY and self.verified_at is not None

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.line1, self.line2, f"{self.postcode} {self.city}", self.country)
            if line.strip()
        ]


from oscar.apps.customer.models import *  # noqa: E402,F403

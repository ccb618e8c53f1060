"""Delivery methods and pickup locations, edited by staff in the admin.

Prices are entered including VAT, as the delivery page shows them; the VAT
on shipping is the standard rate (COMPTOIR_VAT_STANDARD_RATE).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pricing import DeliveryPricing


class DeliveryMethod(DeliveryPricing, models.Model):
    """A way of sending a parcel (standard, express...). Its price is the
    base price, or the band of the basket's total or weight; free from a
    basket total when a threshold is set."""

    class Basis(models.TextChoices):
        TOTAL = "total", _("basket total incl. VAT (€)")
        WEIGHT = "weight", _("basket weight (kg)")

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_('Stored on orders; "standard" and "express" have built-in names.'),
    )
    label = models.CharField(
        _("name"),
        max_length=128,
        blank=True,
        help_text=_("Leave empty to use the built-in name, translated for each customer."),
    )
    delivery_time = models.CharField(
        _("delivery time"),
        max_length=255,
        blank=True,
        help_text=_("Delivery time shown to customers; empty: the built-in one."),
    )
    price_incl_tax = models.DecimalField(
        _("price incl. VAT"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Charged when no band below applies."),
    )
    free_from_incl_tax = models.DecimalField(
        _("free from (basket incl. VAT)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Baskets of at least this total ship free. Empty: never free."),
    )
    band_basis = models.CharField(
        _("bands by"), max_length=8, choices=Basis.choices, default=Basis.TOTAL
    )
    default_weight = models.DecimalField(
        _("default product weight (kg)"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0.200"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_('For products without a "weight" attribute, when bands go by weight.'),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")

    def __str__(self):
        return str(self.name)


class DeliveryBand(models.Model):
    """The price up to a basket total or weight (the method says which)."""

    method = models.ForeignKey(DeliveryMethod, on_delete=models.CASCADE, related_name="bands")
    up_to = models.DecimalField(
        _("up to"),
        max_digits=10,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Upper limit (included), in € or kg as the method says."),
    )
    price_incl_tax = models.DecimalField(
        _("price incl. VAT"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["method", "up_to"]
        unique_together = [("method", "up_to")]
        verbose_name = _("price band")
        verbose_name_plural = _("price bands")

    def __str__(self):
        return f"≤ {self.up_to}: {self.price_incl_tax} €"


class PickupLocation(models.Model):
    """A counter where customers collect their order (and may pay there)."""

    name = models.CharField(_("name"), max_length=128)
    line1 = models.CharField(_("address"), max_length=255)
    line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16)
    city = models.CharField(_("city"), max_length=128)
    opening_hours = models.TextField(
        _("opening hours"), help_text=_("As customers should read them, e.g. Mon–Fri 9:00–18:00.")
    )
    instructions = models.CharField(
        _("instructions"),
        max_length=255,
        blank=True,
        help_text=_('E.g. bring the "order ready" email and an ID.'),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pickup location")
        verbose_name_plural = _("pickup locations")

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def address(self) -> str:
        town = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in [self.line1, self.line2, town] if part)


from oscar.apps.shipping.models import *  # noqa: E402,F403

"""Suppliers (fournisseurs) and what each offers for a request line."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .requests import QuoteRequestLine


class Supplier(models.Model):
    """A fournisseur we buy from."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    contact_name = models.CharField(_("contact"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("usual lead time (days)"), default=7)
    minimum_order = models.DecimalField(
        _("minimum order (€, excl. VAT)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    # Shipping cost rule: a flat cost per order, free from a threshold.
    shipping_cost = models.DecimalField(
        _("shipping cost per order (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    free_shipping_from = models.DecimalField(
        _("free shipping from (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name


class SupplierOffer(models.Model):
    """What a supplier offers for one request line."""

    line = models.ForeignKey(
        QuoteRequestLine,
        verbose_name=_("request line"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="offers"
    )
    supplier_reference = models.CharField(_("supplier reference"), max_length=128, blank=True)
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Euros per unit of the offer's currency (1 for EUR).
    exchange_rate = models.DecimalField(
        _("exchange rate to €"), max_digits=10, decimal_places=6, default=Decimal("1")
    )
    quantity_available = models.PositiveIntegerField(_("quantity available"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    shipping_cost = models.DecimalField(
        _("shipping cost (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["line", "pk"]
        verbose_name = _("supplier offer")
        verbose_name_plural = _("supplier offers")

    def __str__(self):
        return f"{self.supplier} {self.supplier_reference} @ {self.unit_cost} {self.currency}"

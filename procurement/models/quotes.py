"""The quote (devis) priced from the chosen offers, its lines, and the
customer's purchase order (bon de commande) accepting it."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .requests import QuoteRequest, QuoteRequestLine
from .suppliers import SupplierOffer


def _purchase_order_path(instance, filename):
    return f"procurement/purchase-orders/{timezone.now():%Y/%m}/{instance.token}.pdf"


def _quote_pdf_path(instance, filename):
    # Kept for migration 0001 (quotes' PDFs now live in billing.documents).
    return f"procurement/quotes/{instance.token}.pdf"


class Quote(models.Model):
    """The devis sent to the customer: its prices are fixed when it is sent
    (the offers may change afterwards; the quote does not)."""

    request = models.OneToOneField(
        QuoteRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="quote"
    )
    number = models.CharField(_("quote number"), max_length=32, unique=True, null=True, blank=True)
    token = models.CharField(max_length=32, unique=True)
    shipping_excl_tax = models.DecimalField(
        _("shipping (excl. VAT)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    handling_fee = models.DecimalField(
        _("handling fee (excl. VAT)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    research_fee = models.DecimalField(
        _("research fee (excl. VAT)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    total_excl_tax = models.DecimalField(
        _("total excl. VAT"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    total_tax = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2, default=Decimal("0"))
    total_incl_tax = models.DecimalField(
        _("total incl. VAT"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The billing.documents Document of the quote (its PDF).
    document_id = models.PositiveIntegerField(_("document"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quote",
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return self.number or _("draft quote of %(request)s") % {"request": self.request}


class QuoteLine(models.Model):
    """A priced line of the quote: the request line with the chosen offer."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    request_line = models.ForeignKey(
        QuoteRequestLine, on_delete=models.PROTECT, related_name="quote_lines"
    )
    offer = models.ForeignKey(
        SupplierOffer, null=True, blank=True, on_delete=models.PROTECT, related_name="quote_lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("designation"), max_length=255)
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_cost = models.DecimalField(_("unit cost (€)"), max_digits=12, decimal_places=4)
    margin = models.DecimalField(_("margin"), max_digits=6, decimal_places=4)
    unit_price_excl_tax = models.DecimalField(
        _("unit price excl. VAT"), max_digits=12, decimal_places=2
    )
    line_price_excl_tax = models.DecimalField(_("total excl. VAT"), max_digits=12, decimal_places=2)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)

    class Meta:
        ordering = ["quote", "position", "pk"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")

    def __str__(self):
        return self.title


class PurchaseOrder(models.Model):
    """A customer's bon de commande: an institution accepts a quote with it."""

    quote = models.OneToOneField(Quote, on_delete=models.CASCADE, related_name="purchase_order")
    number = models.CharField(_("purchase order number"), max_length=64)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=_purchase_order_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self):
        return self.number

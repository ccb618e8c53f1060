"""Orders to suppliers (commandes fournisseur), their lines, and goods
receipt (réception) line by line."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .suppliers import Supplier, SupplierOffer


class SupplierOrderState(models.TextChoices):
    TO_ORDER = "to_order", _("To order")
    ORDERED = "ordered", _("Ordered")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    PROBLEM = "problem", _("Problem")


class SupplierOrder(models.Model):
    """A commande fournisseur: what we buy from one supplier for one
    customer order."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders"
    )
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_orders",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SupplierOrderState.choices,
        default=SupplierOrderState.TO_ORDER,
        db_index=True,
    )
    supplier_order_number = models.CharField(
        _("supplier's order number"), max_length=64, blank=True
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supplier order")
        verbose_name_plural = _("supplier orders")

    def __str__(self):
        return _("Supplier order %(pk)s (%(supplier)s)") % {
            "pk": self.pk,
            "supplier": self.supplier,
        }


class SupplierOrderLine(models.Model):
    supplier_order = models.ForeignKey(
        SupplierOrder, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "order.Line",
        verbose_name=_("customer order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_order_lines",
    )
    offer = models.ForeignKey(
        SupplierOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier_reference = models.CharField(_("supplier reference"), max_length=128, blank=True)
    title = models.CharField(_("designation"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity ordered"))
    unit_cost = models.DecimalField(_("unit cost (€)"), max_digits=12, decimal_places=4)
    quantity_received = models.PositiveIntegerField(_("quantity received"), default=0)

    class Meta:
        ordering = ["supplier_order", "pk"]
        verbose_name = _("supplier order line")
        verbose_name_plural = _("supplier order lines")

    def __str__(self):
        return self.title


class GoodsReceipt(models.Model):
    """A réception: what arrived in one parcel from a supplier order."""

    supplier_order = models.ForeignKey(
        SupplierOrder, on_delete=models.CASCADE, related_name="receipts"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")

    def __str__(self):
        return _("Receipt %(pk)s") % {"pk": self.pk}


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    supplier_order_line = models.ForeignKey(
        SupplierOrderLine, on_delete=models.PROTECT, related_name="receipt_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity received"))
    # Staff check each line against what was ordered before it goes out.
    matches = models.BooleanField(_("matches the order"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["receipt", "pk"]
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")

    def __str__(self):
        return f"{self.supplier_order_line} × {self.quantity}"

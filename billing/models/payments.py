"""Payments and refunds: one row each; an order's balance is derived from them
(billing.payments.selectors.order_balance), never stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.payment_methods import PaymentMethod

__all__ = ["Payment", "ProviderEvent"]


class Payment(models.Model):
    """Money received for an order (kind payment) or given back (kind refund).

    A provider payment (a Stripe PaymentIntent, a PayPal order) is written
    pending when it starts and becomes succeeded once the provider says so;
    ``(provider, provider_id)`` is unique, which makes applying the same
    provider news twice a no-op.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Flag(models.TextChoices):
        """What staff must look at; cleared when settled."""

        NONE = "", _("None")
        OVERPAID = "overpaid", _("Overpaid: refund the difference")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs from the order: check")
        REFUND_DUE = "refund_due", _("Order cancelled: refund")

    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    # "stripe", "paypal"; empty when staff record what they received.
    provider = models.CharField(_("provider"), max_length=16, blank=True)
    provider_id = models.CharField(_("provider reference"), max_length=255, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    flag = models.CharField(_("to check"), max_length=16, choices=Flag.choices, blank=True)
    # What the provider last told us about it (the event or the object).
    raw_event = models.JSONField(_("provider data"), default=dict, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # Cheque number, transfer reference, counter receipt.
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    refund_of = models.ForeignKey(
        "self",
        verbose_name=_("refund of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_id"],
                condition=~Q(provider_id=""),
                name="payment_provider_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["order", "status"], name="payment_order_status"),
            models.Index(fields=["flag"], name="payment_flag", condition=~Q(flag="")),
        ]

    def __str__(self):
        sign = "-" if self.kind == self.Kind.REFUND else ""
        return f"{self.get_method_display()} {sign}{self.amount} {self.currency}"

    @property
    def signed_amount(self):
        """What it adds to what the customer has paid (refunds subtract)."""
        return -self.amount if self.kind == self.Kind.REFUND else self.amount


class ProviderEvent(models.Model):
    """A webhook event as received: its unique id makes a repeat a no-op."""

    provider = models.CharField(_("provider"), max_length=16)
    event_id = models.CharField(_("event id"), max_length=255)
    type = models.CharField(_("type"), max_length=128)
    payload = models.JSONField(_("payload"), default=dict)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_unique")
        ]

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"

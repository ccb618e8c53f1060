"""Returns (RMA) and claims after delivery: data only; the rules are in
``returns.selectors`` and every write in ``returns.services``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import StateChange

from .statuses import ClaimKind, ClaimStatus, ReturnReason, ReturnStatus


class Return(models.Model):
    """A customer's request to send goods of a delivered order back."""

    # Given when staff accept it (RMA-2026-00001: its own gapless sequence per year).
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    comment = models.TextField(_("customer's comment"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The parcel on its way back, as the customer gives it.
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # For a refund by transfer (orders paid by transfer, cheque or mandate).
    account_holder = models.CharField(_("account holder"), max_length=140, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # Proposed at inspection (core.money), refunded afterwards.
    refund_goods = models.DecimalField(
        _("goods to refund (incl. VAT)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    refund_shipping = models.DecimalField(
        _("delivery cost to refund (incl. VAT)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    refund_amount = models.DecimalField(
        _("refund (incl. VAT)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refunds = models.ManyToManyField(
        "billing.Payment", verbose_name=_("refunds"), blank=True, related_name="+"
    )
    credit_note = models.ForeignKey(
        "billing.Document",
        verbose_name=_("credit note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exchange_order = models.ForeignKey(
        "order.Order",
        verbose_name=_("exchange order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Its thread with the customer (opened with the request).
    conversation = models.OneToOneField(
        "conversations.Conversation",
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_request",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        indexes = [models.Index(fields=["status", "received_at"], name="return_status_received")]

    def __str__(self) -> str:
        if self.number:
            return self.number
        return str(_("Return request %(id)s") % {"id": self.pk})

    @property
    def status_label(self) -> str:
        return str(ReturnStatus(self.status).label)


class ReturnLine(models.Model):
    """Units of one order line sent back, and why."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "order.Line", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=24, choices=ReturnReason.choices)
    # Sound units put back in stock at receipt.
    restocked = models.PositiveIntegerField(_("put back in stock"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")

    def __str__(self) -> str:
        return f"{self.line.title} × {self.quantity}"


class ReturnTransition(StateChange):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=32, choices=ReturnStatus.choices)
    to_status = models.CharField(_("to"), max_length=32, choices=ReturnStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("return transition")
        verbose_name_plural = _("return transitions")


class ReturnSequence(models.Model):
    """The last return number given in a year (locked while numbering)."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Claim(models.Model):
    """A parcel damaged on arrival or an item missing, reported within days
    of delivery: staff send a replacement at no charge or refund."""

    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="claims"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    kind = models.CharField(_("problem"), max_length=16, choices=ClaimKind.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    replacement_order = models.ForeignKey(
        "order.Order",
        verbose_name=_("replacement order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refund_amount = models.DecimalField(
        _("refund (incl. VAT)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    credit_note = models.ForeignKey(
        "billing.Document",
        verbose_name=_("credit note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conversation = models.OneToOneField(
        "conversations.Conversation",
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claim",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return str(
            _("Claim %(id)s on order %(order)s") % {"id": self.pk, "order": self.order.number}
        )


class ClaimLine(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "order.Line", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("claimed line")
        verbose_name_plural = _("claimed lines")

    def __str__(self) -> str:
        return f"{self.line.title} × {self.quantity}"


class ClaimTransition(StateChange):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=32, choices=ClaimStatus.choices)
    to_status = models.CharField(_("to"), max_length=32, choices=ClaimStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("claim transition")
        verbose_name_plural = _("claim transitions")

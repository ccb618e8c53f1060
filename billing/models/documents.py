"""Quotes, proformas, invoices, credit notes and delivery notes as issued.

An issued document never changes (French law for invoices; the same rule
for all kinds keeps it simple): its number, data and totals are written
once when it is issued, its PDF and checksum once when it is rendered, just
after (``fill_pdf``: an empty PDF may be filled, a filled one never
changes). The model and queryset below refuse every other change; a
database trigger (migrations 0003 and 0007) refuses them to raw SQL too,
and every serving of the PDF checks its checksum
(billing.documents.services). Only what happens to it afterwards (Chorus
Pro deposit) is recorded on the row; emails go through the outbox
(core.outbox).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.immutable import FrozenRowError

__all__ = ["Document", "DocumentSequence", "ImmutableDocumentError"]


class DocumentKind(models.TextChoices):
    QUOTE = "quote", _("Quote")
    PROFORMA = "proforma", _("Proforma invoice")
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    DELIVERY_NOTE = "delivery_note", _("Delivery note")


class ImmutableDocumentError(FrozenRowError):
    """Raised when code tries to change an issued document."""


class DocumentSequence(models.Model):
    """The last number given in a kind's sequence for a year; its row is
    locked (select_for_update) by the transaction that issues the next one,
    so numbers are gapless and never given twice."""

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="document_sequence_kind_year")
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last_number}"


# What the issuing writes and nothing may change afterwards.
FROZEN_FIELDS = (
    "kind",
    "number",
    "year",
    "sequence_number",
    "issued_at",
    "date",
    "language",
    "order_id",
    "source_label",
    "source_reference",
    "customer_id",
    "refers_to_id",
    "data",
    "pdf",
    "sha256",
    "total_excl_tax",
    "total_vat",
    "total_incl_tax",
    "currency",
    "is_facturx",
)
_FROZEN_NAMES = frozenset(FROZEN_FIELDS) | {name.removesuffix("_id") for name in FROZEN_FIELDS}


class DocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if frozen := set(kwargs) & _FROZEN_NAMES:
            raise ImmutableDocumentError(
                f"Issued documents cannot be changed ({', '.join(sorted(frozen))})."
            )
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if frozen := set(fields) & _FROZEN_NAMES:
            raise ImmutableDocumentError(
                f"Issued documents cannot be changed ({', '.join(sorted(frozen))})."
            )
        return super().bulk_update(objs, fields, *args, **kwargs)

    def delete(self):
        raise ImmutableDocumentError("Issued documents cannot be deleted.")

    def fill_pdf(self, pdf: bytes) -> int:
        """Store ``pdf`` and its checksum on the rows still without one: the
        one change an issued document allows, once (the database trigger
        refuses any later one). Returns how many rows were filled: 0 when
        another renderer stored its PDF first."""
        if not pdf:
            raise ImmutableDocumentError("An issued document's PDF cannot be emptied.")
        sha256 = hashlib.sha256(pdf).hexdigest()
        # The plain update: this class's refuses the frozen columns.
        return models.QuerySet.update(self.filter(sha256=""), pdf=pdf, sha256=sha256)

    def for_customer(self, user):
        return self.filter(customer=user)

    def without_pdf(self):
        return self.defer("pdf", "data")


class Document(models.Model):
    Kind = DocumentKind

    class ChorusStatus(models.TextChoices):
        NONE = "", _("Not for Chorus Pro")
        PENDING = "pending", _("Waiting for deposit")
        EXPORTED = "exported", _("Exported for deposit")
        DEPOSITED = "deposited", _("Deposited")

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence_number = models.PositiveIntegerField(_("number in the year"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=10)
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # Where a document not made from an order comes from, e.g. a procurement
    # quote: source_label "procurement.quote", source_reference its number.
    source_label = models.CharField(_("source"), max_length=64, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=64, blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A credit note's invoice.
    refers_to = models.ForeignKey(
        "self",
        verbose_name=_("refers to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    # The DocumentData as issued (billing.documents.data): what the PDF and
    # any duplicate are rendered from.
    data = models.JSONField(_("data"))
    # Kept in the database, nothing public serves them. Empty (sha256 "")
    # until rendered after the issuing commits; filled once, then final.
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    total_excl_tax = models.DecimalField(_("total excl. VAT"), max_digits=12, decimal_places=2)
    total_vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    total_incl_tax = models.DecimalField(_("total incl. VAT"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_facturx = models.BooleanField(_("Factur-X"), default=False)
    chorus_status = models.CharField(
        _("Chorus Pro"), max_length=16, choices=ChorusStatus.choices, blank=True, default=""
    )
    chorus_flux_id = models.CharField(_("Chorus Pro flow id"), max_length=64, blank=True)
    chorus_deposited_at = models.DateTimeField(_("deposited on Chorus Pro"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence_number"], name="document_seq"
            ),
            # One invoice per order (a correction is a credit note).
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="invoice"),
                name="one_invoice_per_order",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "kind"], name="document_customer_kind"),
            models.Index(fields=["source_label", "source_reference"], name="document_source"),
            # The few still without their PDF, for the beat job's sweep.
            models.Index(fields=["id"], condition=models.Q(sha256=""), name="document_to_render"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            update_fields = kwargs.get("update_fields")
            if update_fields is None or _FROZEN_NAMES & set(update_fields):
                raise ImmutableDocumentError(
                    f"Document {self.number} is issued: it cannot be changed."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(f"Document {self.number} is issued: it cannot be deleted.")

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"

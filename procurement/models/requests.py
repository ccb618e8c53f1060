"""A customer's quote request (demande de devis): its state, lines, files,
events (who moved it, when, why) and staff's internal notes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import StateChange

from ..storage import private_storage

MAX_QUANTITY = 100_000


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RESEARCHING = "researching", _("Researching")
    QUOTED = "quoted", _("Quoted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    ORDERED = "ordered", _("Ordered")


class QuoteRequest(models.Model):
    """A demande de devis: what a customer (signed in, or a guest giving an
    email and a phone) wants us to source."""

    number = models.CharField(_("request number"), max_length=32, unique=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quote_requests",
    )
    legal_entity = models.ForeignKey(
        "customer.LegalEntity",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quote_requests",
    )
    contact_name = models.CharField(_("name"), max_length=255)
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    # A guest buying for an organisation: what its quote is addressed to
    # (a signed-in customer picks one of their legal entities instead).
    organisation_address = models.TextField(_("organisation's address"), blank=True)
    organisation_siret = models.CharField(_("organisation's SIRET"), max_length=14, blank=True)
    organisation_service_code = models.CharField(
        _("Chorus Pro service code"), max_length=100, blank=True
    )
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=RequestState.choices,
        default=RequestState.SUBMITTED,
        db_index=True,
    )
    # The staff member working on it ("claimed").
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_quote_requests",
        limit_choices_to={"is_staff": True},
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("quote request")
        verbose_name_plural = _("quote requests")

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def state_label(self) -> str:
        return RequestState(self.state).label


class QuoteRequestLine(models.Model):
    """One thing asked for: an exact reference (manufacturer and part number,
    or a supplier's reference) or a free description."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    manufacturer = models.CharField(_("manufacturer"), max_length=128, blank=True)
    part_number = models.CharField(_("manufacturer part number"), max_length=128, blank=True)
    supplier_reference = models.CharField(_("supplier reference"), max_length=128, blank=True)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    wished_date = models.DateField(_("wished delivery date"), null=True, blank=True)
    # Margin category (COMPTOIR_PROCUREMENT_MARGINS key), set by staff.
    category = models.CharField(_("margin category"), max_length=64, blank=True)
    # Staff's pick among the offers, and an optional margin typed by hand.
    chosen_offer = models.ForeignKey(
        "procurement.SupplierOffer",
        verbose_name=_("chosen offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    margin = models.DecimalField(
        _("margin (typed)"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("0.25 for 25 %. Empty: the category's margin from the settings."),
    )

    class Meta:
        ordering = ["request", "position", "pk"]
        verbose_name = _("quote request line")
        verbose_name_plural = _("quote request lines")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        reference = " ".join(filter(None, [self.manufacturer, self.part_number]))
        reference = reference or self.supplier_reference
        if reference and self.description:
            return f"{reference}: {self.description[:80]}"
        return reference or self.description[:120]


def _attachment_path(instance, filename):
    return f"procurement/requests/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class PrivateFile(models.Model):
    """A customer's or supplier's file checked from its content
    (services.uploads.check_upload) and stored privately: what a request's
    files and a conversation's attachments share. A concrete model adds its
    ``file`` field (its folder) and what the file belongs to; it is stored
    with ``services.uploads.private_file_store``."""

    # Random: the stored name reveals nothing and cannot be guessed.
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class RequestFile(PrivateFile):
    """A datasheet, photo or specification sent with a request (PDF or
    image, checked from its content), stored privately."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="files")
    line = models.ForeignKey(
        QuoteRequestLine, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request file")
        verbose_name_plural = _("request files")


class QuoteRequestEvent(StateChange):
    """Who moved a request, when, why (DESIGN.md: record who and why)."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="events")
    # The columns keep their first names (from_state, to_state).
    from_status = models.CharField(
        _("from"), max_length=16, choices=RequestState.choices, db_column="from_state"
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=RequestState.choices, db_column="to_state"
    )

    class Meta(StateChange.Meta):
        verbose_name = _("quote request event")
        verbose_name_plural = _("quote request events")

    def __str__(self):
        return f"{self.request_id}: {super().__str__()}"


class QuoteRequestNote(models.Model):
    """Staff's internal notes on a request (never shown to the customer)."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return self.text[:60]

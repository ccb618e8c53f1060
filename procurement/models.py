"""Procurement on demand (DESIGN.md): a customer's quote request (demande de
devis) and its files; suppliers (fournisseurs) and their offers per request
line; the quote (devis) priced from the chosen offers; the customer's
purchase order (bon de commande); orders to suppliers (commandes
fournisseur) and goods receipt (réception).

Rules live in ``procurement.services``; these are the tables."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import StateChange

from .storage import private_storage

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


def _purchase_order_path(instance, filename):
    return f"procurement/purchase-orders/{timezone.now():%Y/%m}/{instance.token}.pdf"


def _quote_pdf_path(instance, filename):
    # Kept for migration 0001 (quotes' PDFs now live in billing.documents).
    return f"procurement/quotes/{instance.token}.pdf"


class RequestFile(models.Model):
    """A datasheet, photo or specification sent with a request (PDF or
    image, checked from its content), stored privately."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="files")
    line = models.ForeignKey(
        QuoteRequestLine, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    # Random: the stored name reveals nothing and cannot be guessed.
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request file")
        verbose_name_plural = _("request files")

    def __str__(self):
        return self.original_name


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

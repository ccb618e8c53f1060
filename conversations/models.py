"""A conversation (a thread about an order, a quote request, a return, a
claim, a contact form, a supplier's quote, or an unsorted email), its
messages and their files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from procurement.storage import private_storage


class ConversationKind(models.TextChoices):
    ORDER = "order", _("Order")
    QUOTE_REQUEST = "quote_request", _("Quote request")
    RETURN = "return", pgettext_lazy("conversation about", "Return")
    CLAIM = "claim", pgettext_lazy("conversation about", "Claim")
    CONTACT = "contact", _("Contact form")
    SUPPLIER = "supplier", _("Supplier")
    # An email we could not place (unknown sender or address): staff sort it.
    INBOUND = "inbound", _("Unsorted email")


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for the customer")
    CLOSED = "closed", _("Closed")


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")
    SUPPLIER = "supplier", _("Supplier")
    SYSTEM = "system", _("System")


class MessageSource(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    ADMIN = "admin", _("Admin")


class Conversation(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ConversationKind.choices)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    # Where the other side is written to (the customer's or the supplier's).
    email = models.EmailField(_("email"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    # The language the other side is written to in.
    language = models.CharField(_("language"), max_length=10, default="fr")
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    quote_request = models.ForeignKey(
        "procurement.QuoteRequest",
        verbose_name=_("quote request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    supplier = models.ForeignKey(
        "procurement.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
        db_index=True,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_conversations",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The inbox: unanswered first (the customer wrote last), then by age.
    last_customer_message_at = models.DateTimeField(
        _("last message from the customer"), null=True, blank=True
    )
    last_staff_message_at = models.DateTimeField(_("last answer from staff"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            # One customer thread per order and per quote request (supplier
            # threads of a request are apart: they name the supplier).
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="order"),
                name="conversation_one_per_order",
            ),
            models.UniqueConstraint(
                fields=["quote_request"],
                condition=Q(kind="quote_request"),
                name="conversation_one_per_quote_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_customer_message_at"], name="conv_inbox")]

    def __str__(self):
        return self.subject or f"#{self.pk}"

    @property
    def is_unanswered(self) -> bool:
        """The other side wrote last and staff have not answered since."""
        if self.last_customer_message_at is None:
            return False
        return (
            self.last_staff_message_at is None
            or self.last_staff_message_at < self.last_customer_message_at
        )


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_kind = models.CharField(_("from"), max_length=8, choices=AuthorKind.choices)
    from_email = models.EmailField(_("from (email)"), blank=True)
    body = models.TextField(_("message"))
    source = models.CharField(
        _("source"), max_length=8, choices=MessageSource.choices, default=MessageSource.WEB
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # The provider's id of an inbound email: a replayed webhook is stored once.
    provider_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="message_provider_id_unique",
            )
        ]

    def __str__(self):
        return f"{self.get_author_kind_display()}: {self.body[:60]}"


def _attachment_path(instance, filename):
    return f"conversations/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A photo or PDF sent with a message (checked from its content as the
    quote requests' files are), stored privately."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Random: the stored name reveals nothing and cannot be guessed.
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message to send: written in the transaction of the change that
    causes it, delivered afterwards by a worker, however late."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by a worker and being delivered; committed before the
        # delivery, so that no other worker sends it again.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # An email address, a mobile number or a webhook's URL.
    recipient = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # A message rendered when sent names the renderer an app registered
    # (core.outbox.renderers), with its arguments (ids) in ``payload``; so a
    # job making thousands of moves does not render thousands of emails.
    renderer = models.CharField(_("renderer"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # What the message is about and its precise cause: "order.order:42",
    # "order.ordertransition:17", "billing.document:5" (selectors.outbox_ref).
    topic = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    ref = models.CharField(_("cause"), max_length=100, blank=True, db_index=True)
    # Where an answer goes (an email's Reply-To): the signed address of the
    # thread it is about (core.replies), set by ``outbox_message`` from ``about``.
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    # Writing the same message twice (a job run twice) is a no-op.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # After a failure, the sweep waits until then (backing off) before retrying.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject or self.body_text[:40]}"

"""One shape for audit trails (STYLE.md "record who and why"): every move
of something with states (an order, a quote request, and the coming
returns and payment stages) is a row saying from, to, when, by whom (or
which job) and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The columns an audit trail shows, in this order (admin inlines).
AUDIT_FIELDS = ("created_at", "from_status", "to_status", "by", "source", "note")

# What staff read for a source (``StateChange.source``).
SOURCE_LABELS = {
    "customer": _("customer"),
    "staff": _("staff"),
    "system": _("automatic"),
}


def source_label(source: str) -> str | Promise:
    """A source as staff read it: "customer" → "client", a job
    ("beat:expire_reservations") → "scheduled job: expire reservations"."""
    if source in SOURCE_LABELS:
        return SOURCE_LABELS[source]
    job = source.removeprefix("beat:")
    if job != source:
        return _("scheduled job: %(job)s") % {"job": job.replace("_", " ")}
    return source


class StateChange(models.Model):
    """A move from one state to another. A concrete trail adds the foreign
    key to what moved and redeclares ``from_status``/``to_status`` with its
    states as choices."""

    from_status = models.CharField(_("from"), max_length=32)
    to_status = models.CharField(_("to"), max_length=32)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "customer", "staff", "system" or the job's name, e.g. "beat:expire_reservations".
    source = models.CharField(_("source"), max_length=64)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self._status_label('from_status')} → {self._status_label('to_status')}"

    def _status_label(self, name: str) -> str:
        """The state's label when the concrete trail gives its states as choices."""
        value = getattr(self, name)
        field = self._meta.get_field(name)
        choices = dict(field.flatchoices) if isinstance(field, models.Field) else {}
        return str(choices.get(value, value))

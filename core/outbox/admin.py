"""The outbox in the admin: every message with its state, failures first to
see, a "retry" action; and the table an object's admin page shows of the
messages about it (an order's, a document's)."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import services
from .models import OutboxMessage
from .renderers import renderer_label
from .selectors import messages_about, outbox_object, outbox_ref

# ModelAdmin is generic only in django-stubs (nothing here calls
# django_stubs_ext.monkeypatch()): parametrised for mypy alone.
if TYPE_CHECKING:
    OutboxMessageAdminBase = admin.ModelAdmin[OutboxMessage]
else:
    OutboxMessageAdminBase = admin.ModelAdmin


class AboutChangeList(ChangeList):
    """The change list, with ``?about=`` (messages about one object, see
    ``get_queryset``) left out of the filters the admin checks."""

    def get_filters_params(self, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = super().get_filters_params(params)
        params.pop("about", None)
        return params


class RendererFilter(admin.SimpleListFilter):
    """The renderers by the label their app registered, not their code."""

    title = _("kind")
    parameter_name = "renderer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        names = (
            OutboxMessage.objects.exclude(renderer="")
            .order_by("renderer")
            .values_list("renderer", flat=True)
            .distinct()
        )
        return [(name, renderer_label(name)) for name in names]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[OutboxMessage]
    ) -> QuerySet[OutboxMessage]:
        return queryset.filter(renderer=self.value()) if self.value() else queryset


def about_link(ref: str) -> str:
    """What a message is about as staff know it ("Order 100013"), linked to
    its admin page when it has one; the raw reference when the object is gone."""
    obj = outbox_object(ref)
    if obj is None:
        return ref or "–"
    text = f"{capfirst(obj._meta.verbose_name)} {obj}"
    try:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return text
    return format_html('<a href="{}">{}</a>', url, text)


def _local(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "–"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(OutboxMessageAdminBase):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "about",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", RendererFilter)
    ordering = ("-created_at", "-pk")
    search_fields = ("recipient", "subject", "topic", "ref")
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("about"), ordering="topic")
    def about(self, message: OutboxMessage) -> str:
        return about_link(message.topic)

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        queryset = super().get_queryset(request)
        about = request.GET.get("about")
        return queryset.filter(topic=about) | queryset.filter(ref=about) if about else queryset

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return AboutChangeList

    @admin.action(description=_("Retry sending"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = services.messages_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d queued again.") % {"count": count})


def messages_table(obj: Model | None, *, limit: int = 50) -> str | Promise:
    """An HTML table of the messages about ``obj``, newest first, each
    linking to its admin page; for a read-only field of ``obj``'s admin."""
    if obj is None or obj.pk is None:
        return "—"
    rows = messages_about(obj).order_by("-created_at", "-pk")[:limit]
    if not rows:
        return _("No message yet.")
    body = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                reverse("admin:core_outboxmessage_change", args=[message.pk]),
                _local(message.created_at),
                message.get_channel_display(),
                message.recipient,
                message.subject,
                message.get_status_display(),
                message.attempts,
            )
            for message in rows
        ),
    )
    everything = (
        reverse("admin:core_outboxmessage_changelist") + "?" + urlencode({"about": outbox_ref(obj)})
    )
    return format_html(
        '<table class="outbox-messages"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
        "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
        '<p><a href="{}">{}</a></p>',
        _("created"),
        _("channel"),
        _("recipient"),
        _("subject"),
        _("status"),
        _("attempts"),
        body,
        everything,
        _("All these messages"),
    )

"""What every app's admin shares: read-only inlines, and extension points.

An extension point lets an app higher in the stack add to the admin page of
a model it does not own, without that page importing it: billing adds the
order's payments and documents to the order's page (BillingConfig.ready),
the order admin names no billing class. The page says where others may add
fields (an ``"extension_slot"`` in a fieldset's options) and shows the
inlines and object tools registered for its model.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows shown on their parent's page, never added, changed or removed there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(flatten(self.fields or ()))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Buttons an app adds above a model's change form: HTML (list items) for
# the object shown, rendered with the request (forms need its CSRF token).
ObjectTools = Callable[[HttpRequest, Any], str]


@dataclass
class AdminExtension:
    """What apps above have added to one model's admin page."""

    inlines: list[type[InlineModelAdmin]] = field(default_factory=list)  # type: ignore[type-arg]
    # Read-only fields by slot: callables taking the object, with a
    # description (``@admin.display``), shown in the fieldset naming the slot.
    fields: dict[str, list[Callable[[Any], Any]]] = field(default_factory=dict)
    tools: list[ObjectTools] = field(default_factory=list)
    # Filters of the change list, after the page's own.
    list_filters: list[Any] = field(default_factory=list)

    def add_inline(self, inline: type[InlineModelAdmin]) -> None:  # type: ignore[type-arg]
        if inline not in self.inlines:
            self.inlines.append(inline)

    def add_field(self, slot: str, render: Callable[[Any], Any]) -> None:
        slot_fields = self.fields.setdefault(slot, [])
        if render not in slot_fields:
            slot_fields.append(render)

    def add_tools(self, tools: ObjectTools) -> None:
        if tools not in self.tools:
            self.tools.append(tools)

    def add_list_filter(self, list_filter: Any) -> None:
        if list_filter not in self.list_filters:
            self.list_filters.append(list_filter)


_extensions: dict[str, AdminExtension] = {}


def admin_extension(model_label: str) -> AdminExtension:
    """The extension point of a model's admin page, by model label
    (``"order.Order"``); created on first use, by either side."""
    return _extensions.setdefault(model_label.lower(), AdminExtension())


class ExtensibleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin that shows what other apps registered for its model
    (see ``admin_extension``); read per request, so the order in which apps
    are loaded does not matter."""

    @property
    def extension(self) -> AdminExtension:
        return admin_extension(self.model._meta.label)

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), *self.extension.list_filters]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return [*super().get_inlines(request, obj), *self.extension.inlines]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            extended: dict[str, Any] = dict(options)
            slot = extended.pop("extension_slot", None)
            if slot is not None:
                extended["fields"] = (*extended["fields"], *self.extension.fields.get(slot, ()))
            fieldsets.append((name, extended))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        added = [render for renders in self.extension.fields.values() for render in renders]
        return [*super().get_readonly_fields(request, obj), *added]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        if obj is not None:
            html = "".join(tools(request, obj) for tools in self.extension.tools)
            context["extension_tools"] = mark_safe(html)
        return super().render_change_form(request, context, add, change, form_url, obj)


class CappedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Counts the rows of a change list up to ``cap`` only.

    Django's admin counts every row a filter selects on each page: over a
    million orders that COUNT alone costs more than the page's budget
    (bench/README.md, "The admin order list"). Past ``cap`` the count stops,
    ``capped`` says so (the page reads "more than 10 000") and pages end
    there: a search or a filter narrows the list. Use it with
    ``show_full_result_count = False`` (no count of the whole table either).
    """

    cap = 10_000
    capped = False  # set by count

    @cached_property
    def count(self) -> int:
        # SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1), in no order:
        # stops at the first cap + 1 rows found, sorts nothing.
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        counted = rows.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


# The outbox's admin registers itself when core's admin is loaded.
from core.outbox import admin as outbox_admin  # noqa: E402, F401

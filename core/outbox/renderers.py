"""Messages rendered when sent: the app that owns the data registers a
renderer under a stable name (in its AppConfig.ready), and a message names
it with its arguments in ``payload``. core imports no app."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import OutboxMessage


@dataclass
class Content:
    """What a message says; ``attachments`` are (filename, bytes, mimetype)."""

    subject: str = ""
    text: str = ""
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class UnknownRenderer(LookupError):
    pass


# A renderer takes the message and returns its content.
Renderer = Callable[["OutboxMessage"], Content]

_renderers: dict[str, Renderer] = {}
# What staff read for a renderer (the admin's filter), by its name.
_labels: dict[str, str | Promise] = {}


def renderer_register(name: str, *, label: str | Promise = "") -> Callable[[Renderer], Renderer]:
    """Decorator: ``@renderer_register("order.transition", label=_("Order
    update"))`` on a function taking the message and returning its
    ``Content``; ``label`` (translatable) is what the admin shows for it."""

    def register(function: Renderer) -> Renderer:
        _renderers[name] = function
        if label:
            _labels[name] = label
        return function

    return register


def renderer_label(name: str) -> str | Promise:
    """The label a renderer was registered with, else its name."""
    return _labels.get(name, name)


def message_content(message: "OutboxMessage") -> Content:
    """The message's content: its renderer's, or what it stores."""
    if not message.renderer:
        return Content(subject=message.subject, text=message.body_text, html=message.body_html)
    try:
        render = _renderers[message.renderer]
    except KeyError:
        raise UnknownRenderer(f"No outbox renderer named {message.renderer!r}") from None
    content = render(message)
    content.subject = content.subject or message.subject
    return content

"""``{% conversation_thread obj %}``: the thread of an order, a quote request
or a conversation (its messages and a form to write, with files), for a page
that has already checked that the viewer may see ``obj``."""

from django import template

from ..forms import MessageForm
from ..models import Conversation
from ..selectors import (
    conversation_for_order_or_none,
    conversation_for_quote_request_or_none,
    conversation_messages,
    thread_pass,
)

register = template.Library()


def _conversation(obj) -> Conversation | None:
    if isinstance(obj, Conversation):
        return obj
    label = obj._meta.label_lower
    if label == "order.order":
        return conversation_for_order_or_none(obj)
    if label == "procurement.quoterequest":
        return conversation_for_quote_request_or_none(obj)
    return None


@register.inclusion_tag("conversations/partials/thread.html", takes_context=True)
def conversation_thread(context, obj, staff_view=False):
    request = context.get("request")
    conversation = _conversation(obj) if obj is not None else None
    return {
        "request": request,
        "conversation": conversation,
        "thread_messages": conversation_messages(conversation) if conversation else [],
        "thread_pass": thread_pass(obj) if obj is not None else "",
        "form": MessageForm(),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
        # Staff read who wrote (by author kind, as the Conversations admin).
        "staff_view": staff_view,
    }

"""Every write on conversations (ARCHITECTURE.md: keyword-only
``<entity>_<action>`` functions that lock, check, change and record)."""

from .suppliers import supplier_request_text, supplier_thread, suppliers_ask_quote
from .threads import (
    conversation_claim,
    conversation_close,
    conversation_for_order,
    conversation_for_quote_request,
    conversation_for_target,
    conversation_open,
    conversation_reopen,
    message_post,
)

__all__ = [
    "conversation_claim",
    "conversation_close",
    "conversation_for_order",
    "conversation_for_quote_request",
    "conversation_for_target",
    "conversation_open",
    "conversation_reopen",
    "message_post",
    "supplier_request_text",
    "supplier_thread",
    "suppliers_ask_quote",
]

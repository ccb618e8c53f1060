from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Message threads with customers and suppliers; replies by email."""

    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from core.replies import reply_register

        # Emails about these carry a signed Reply-To leading back to their
        # thread (core.replies; resolved in conversations.services.inbound).
        for label in ("order.order", "procurement.quoterequest", "conversations.conversation"):
            reply_register(label)
        from . import receivers  # noqa: F401
        from .admin import admin_extend

        admin_extend()

"""Deployment check: the inbound email webhook must be protected, or anyone
could post a "reply" to it (README, "After-sales")."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def inbound_webhook_secret_check(app_configs, **kwargs):
    if not getattr(settings, "COMPTOIR_REPLY_DOMAIN", ""):
        return []
    if (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET"):
        return []
    return [
        Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set: the inbound email webhook accepts posts "
            "from anyone.",
            hint="Set ANYMAIL_WEBHOOK_SECRET=user:password and give the provider that "
            "URL (README, 'After-sales').",
            id="conversations.W001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The floor every app stands on: money, the outbox, SMS backends, the
    bot guard and small shared helpers. It imports no app of the project."""

    name = "core"
    # Named for what staff find there: the outgoing messages.
    verbose_name = _("Messages")

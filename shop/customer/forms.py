"""Oscar's customer forms; registration is guarded against bots."""

from oscar.apps.customer.forms import EmailUserCreationForm as OscarEmailUserCreationForm

from core.antibot import BotGuardMixin


class EmailUserCreationForm(BotGuardMixin, OscarEmailUserCreationForm):
    antibot_scope = "register"

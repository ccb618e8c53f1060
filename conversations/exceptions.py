from django.utils.translation import gettext as _


class ConversationError(Exception):
    """A refused step, with a message for the person."""

    def __init__(self, message: str = ""):
        self.message = message or _("This cannot be done on this conversation.")
        super().__init__(self.message)

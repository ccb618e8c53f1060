from django.utils.translation import gettext as _


class ReturnError(Exception):
    """A returns rule refused the change; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidReturnTransition(ReturnError):
    def __init__(self, ret, to_status: str, reason: str = ""):
        from .statuses import ReturnStatus

        message = _("Return %(number)s cannot go from “%(from)s” to “%(to)s”.") % {
            "number": ret,
            "from": ReturnStatus(ret.status).label,
            "to": ReturnStatus(to_status).label,
        }
        if reason:
            message = f"{message} {reason}"
        super().__init__(message)

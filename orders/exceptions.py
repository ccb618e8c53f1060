from django.utils.translation import gettext as _


class OrderError(Exception):
    """A business rule refused the change; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(OrderError):
    def __init__(self, order, to_status: str, reason: str = ""):
        from .statuses import OrderStatus

        message = _("Order %(number)s cannot go from “%(from)s” to “%(to)s”.") % {
            "number": order.number,
            "from": OrderStatus(order.status).label,
            "to": OrderStatus(to_status).label,
        }
        if reason:
            message = f"{message} {reason}"
        super().__init__(message)
        self.order_id = order.pk
        self.from_status = order.status
        self.to_status = to_status

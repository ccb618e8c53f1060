from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.partner.availability import *  # noqa: F403
from oscar.apps.partner.availability import Base


class StockOrToOrder(Base):
    """A reseller sources what it lacks: out of stock means "to order", with
    the supplier's lead time, never "unavailable"."""

    def __init__(self, num_available, lead_time_days=None, low_threshold=None):
        self.num_available = max(num_available or 0, 0)
        self.lead_time_days = lead_time_days or settings.COMPTOIR_DEFAULT_LEAD_TIME_DAYS
        self.low_threshold = (
            low_threshold if low_threshold is not None else settings.COMPTOIR_LOW_STOCK_THRESHOLD
        )

    is_available_to_buy = True

    def is_purchase_permitted(self, quantity):
        return True, ""

    @property
    def code(self):
        if self.num_available == 0:
            return "toorder"
        if self.num_available <= self.low_threshold:
            return "lowstock"
        return "instock"

    @property
    def short_message(self):
        if self.code == "toorder":
            return _("To order")
        if self.code == "lowstock":
            return _("Low stock")
        return _("In stock")

    @property
    def message(self):
        if self.code == "toorder":
            return ngettext(
                "To order: ships in %(days)d day",
                "To order: ships in %(days)d days",
                self.lead_time_days,
            ) % {"days": self.lead_time_days}
        return ngettext(
            "%(short)s (%(count)d available)",
            "%(short)s (%(count)d available)",
            self.num_available,
        ) % {"short": self.short_message, "count": self.num_available}

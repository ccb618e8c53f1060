from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    # What the supplier needs to deliver when we are out of stock; empty
    # means the shop's default (COMPTOIR_DEFAULT_LEAD_TIME_DAYS).
    lead_time_days = models.PositiveSmallIntegerField(
        _("supplier lead time (days)"), null=True, blank=True
    )

    class Meta(AbstractStockRecord.Meta):
        pass


from oscar.apps.partner.models import *  # noqa: E402,F403

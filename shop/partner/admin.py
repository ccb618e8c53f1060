from django.contrib import admin
from oscar.apps.partner.admin import *  # noqa: F403
from oscar.apps.partner.admin import StockRecordAdmin as OscarStockRecordAdmin
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class StockRecordAdmin(OscarStockRecordAdmin):
    list_display = (*OscarStockRecordAdmin.list_display, "num_allocated", "lead_time_days")
    # Held units change only through order reservations (orders.services.stock).
    readonly_fields = ("num_allocated",)


admin.site.unregister(StockRecord)
admin.site.register(StockRecord, StockRecordAdmin)

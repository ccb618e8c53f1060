from django.contrib import admin
from oscar.apps.customer.admin import *  # noqa: F403

from .models import CustomerProfile


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "manager", "mobile", "sms_opt_in")
    list_filter = ("manager", "sms_opt_in")
    search_fields = ("user__email", "user__last_name", "mobile")
    autocomplete_fields = ("user",)

"""Back-in-stock alerts (Oscar's product alerts), sent by a beat job.

Oscar sends an alert when a product becomes "available to buy"; ours always
is (out of stock means "to order"), so the job picks products that have
units on the shelf again and hands them to Oscar's alert dispatcher.
"""

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from oscar.core.loading import get_class, get_model

AlertsDispatcher = get_class("customer.alerts.utils", "AlertsDispatcher")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")


def product_alerts_send() -> int:
    """Send the alerts of products back in stock; returns how many products."""
    back_in_stock = Q(stockrecords__num_in_stock__gt=Coalesce(F("stockrecords__num_allocated"), 0))
    products = list(
        Product.objects.browsable()
        .filter(back_in_stock, productalert__status=ProductAlert.ACTIVE)
        .distinct()
    )
    dispatcher = AlertsDispatcher()
    for product in products:
        dispatcher.send_product_alert_email_for_user(product)
    return len(products)

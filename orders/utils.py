"""Oscar's order placing, with Comptoir's stock rule: Oscar allocates stock
unconditionally (it oversells under concurrency); we place the order with
nothing held, then reserve it under row locks (orders.services)."""

import logging

from django.conf import settings
from django.utils import translation
from oscar.apps.order.utils import *  # noqa: F403
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator

from shop.customer.selectors import customer_profile

logger = logging.getLogger(__name__)


class OrderCreator(OscarOrderCreator):
    def place_order(self, *args, **kwargs):
        from orders.services.transitions import order_reserve

        order = super().place_order(*args, **kwargs)
        # Before any payment is taken: what can be served is known first.
        # The order exists whatever happens here; should the reservation
        # fail, the catch-up job (jobs.orders_reserve_waiting) redoes it.
        try:
            return order_reserve(order_id=order.pk, source="system")
        except Exception:  # the order is committed: never fail the checkout now
            logger.exception("Order %s placed but not reserved yet", order.number)
            return order

    def create_order_model(self, user, *args, **extra_order_fields):
        profile = customer_profile(user)
        language = translation.get_language() or settings.LANGUAGE_CODE
        defaults = {
            "language": language.split("-")[0],
            "notify_phone": profile.sms_number if profile else "",
            "sms_opt_in": bool(profile and profile.sms_number),
        }
        return super().create_order_model(user, *args, **{**defaults, **extra_order_fields})

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        availability = basket_line.purchase_info.availability
        fields = {
            "num_allocated": 0,
            "seen_num_available": getattr(availability, "num_available", None),
            **(extra_line_fields or {}),
        }
        return super().create_line_models(order, basket_line, fields)

    def update_stock_records(self, line):
        """Nothing here: the reservation holds the stock."""

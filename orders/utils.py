"""Oscar's order placing, with Comptoir's stock rule: Oscar allocates stock
unconditionally (it oversells under concurrency); we place the order with
nothing held, then reserve it under row locks (orders.services)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from oscar.apps.order.utils import *  # noqa: F403
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator

from shop.customer.selectors import customer_profile

logger = logging.getLogger(__name__)


class OrderCreator(OscarOrderCreator):
    def place_order(self, *args, **kwargs):
        from orders.services.transitions import order_reserve

        with transaction.atomic():
            order = super().place_order(*args, **kwargs)
            # Before any payment is taken: what can be served is known first.
            # The order exists whatever happens here; should the reservation
            # fail, the catch-up job (jobs.orders_reserve_waiting) redoes it.
            try:
                order = order_reserve(order_id=order.pk, source="system")
            except Exception:  # never fail the checkout now
                logger.exception("Order %s placed but not reserved yet", order.number)
            confirmation_replace_move_emails(order)
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


def confirmation_replace_move_emails(order) -> None:
    """One email at placing: the moves made while placing (reserved, and
    in progress for an order paid later) each wrote theirs to the outbox, in
    this transaction; the customer gets the full confirmation instead."""
    from orders.services.notifications import Notification, notifications_queue
    from shop.checkout.confirmation import confirmation_content

    if not order.email:
        return
    Notification.objects.filter(
        order=order, channel=Notification.Channel.EMAIL, status=Notification.Status.PENDING
    ).delete()
    subject, text, html = confirmation_content(order)
    notifications_queue(
        [
            Notification(
                order=order,
                channel=Notification.Channel.EMAIL,
                recipient=order.email,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=f"order:{order.pk}:placed",
            )
        ]
    )

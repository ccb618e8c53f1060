"""Procurement listens to the orders app instead of reaching into it."""

from django.dispatch import receiver

from orders.signals import order_moved


@receiver(order_moved, dispatch_uid="procurement.request_order_moved")
def request_order_moved(sender, order, transition, from_status, to_status, **kwargs):
    from .services.quotes import request_order_moved

    request_order_moved(order=order, to_status=to_status)

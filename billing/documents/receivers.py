"""The invoice follows the order: issued when it ships, or when a counter
sale is paid. Both run inside the transaction of the move (or payment), so
the invoice and its number commit or roll back with it."""

from django.dispatch import receiver

from billing.signals import order_paid
from core.payment_methods import PaymentMethod
from orders.signals import order_moved
from orders.statuses import OrderStatus

from . import invoicing


@receiver(order_moved, dispatch_uid="billing.documents.invoice_on_shipped")
def invoice_on_shipped(sender, order, to_status, **kwargs):
    if to_status != OrderStatus.SHIPPED:
        return
    # A counter sale was invoiced when paid.
    if invoicing.invoice_for(order) is None:
        invoicing.invoice_issue_locked(order)


@receiver(order_paid, dispatch_uid="billing.documents.invoice_on_counter_paid")
def invoice_on_counter_paid(sender, order, **kwargs):
    if order.payment_method != PaymentMethod.COUNTER:
        return
    if invoicing.invoice_for(order) is None:
        invoicing.invoice_issue_locked(order, counter_paid=True)

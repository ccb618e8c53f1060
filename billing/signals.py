"""What billing tells other apps (documents, notifications) about money."""

from django.dispatch import Signal

# Sent inside the transaction that records the payment which makes the
# order's payments cover its total: ``sender`` is the Payment class, with
# ``order`` and ``payment``. The counter-sale invoice hangs on it.
order_paid = Signal()

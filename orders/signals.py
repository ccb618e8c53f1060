"""What other apps may listen to instead of reaching into the order services."""

from django.dispatch import Signal

# Sent inside the transaction of every move, once per order, after the move
# is saved: ``sender`` is the Order class, with ``order``, ``transition``
# (the OrderTransition row), ``from_status`` and ``to_status``. A receiver
# that writes rows (an invoice on "shipped") commits or fails with the
# move; slow work belongs in a task queued with ``transaction.on_commit``.
order_moved = Signal()

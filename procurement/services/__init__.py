"""Writes of procurement: views, admin actions and Celery tasks call these.

- ``uploads``: customers' files checked from their content
- ``requests``: quote requests (submit, claim, state moves)
- ``pricing``: best offer, resale prices, quote totals
- ``quotes``: send, accept, decline, purchase order, expiry
- ``supplier_orders``: orders to suppliers, goods receipt, the staff digest
- ``emails``: customer and staff messages through the orders outbox
"""

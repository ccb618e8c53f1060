"""Writes of procurement: views, admin actions and Celery tasks call these.

- ``uploads``: customers' files checked from their content
- ``requests``: quote requests (submit, claim, state moves)
- ``pricing``: best offer, resale prices, quote totals
- ``quotes``: send, the request following its order, expiry
- ``acceptance``: the customer accepts (online, transfer, purchase order) or declines
- ``supplier_orders``: orders to suppliers, goods receipt, the staff digest
- ``emails``: customer and staff messages through the orders outbox
"""

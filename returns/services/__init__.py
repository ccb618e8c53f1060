"""Every write of the returns app: ``returns`` (the return's moves),
``refunds`` (refund and credit note), ``claims`` (damaged or missing),
``digest`` (late refunds to staff), ``emails`` (the customer's emails)."""

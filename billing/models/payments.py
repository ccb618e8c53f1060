"""Payments and refunds: one row each; an order's balance is derived from them."""

"""Billing owns payments and refunds (payments.py) and the business
documents (documents.py)."""

from .documents import *  # noqa: F403
from .payments import *  # noqa: F403

"""Staff work on procurement in the Django admin. Every step calls
procurement.services; the admin holds no rule."""

from . import quotes, requests, suppliers  # noqa: F401

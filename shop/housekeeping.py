"""Periodic clean-up of what visitors leave behind."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")


def sessions_clear_expired() -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def baskets_delete_stale(*, older_than_days: int | None = None) -> int:
    """Delete anonymous open baskets untouched for ``older_than_days``.

    A customer's own basket is kept: they come back to it when they log in.
    """
    days = settings.COMPTOIR_BASKET_STALE_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    stale = Basket.objects.filter(owner=None, status=Basket.OPEN, date_created__lt=cutoff)
    deleted, _ = stale.delete()
    return deleted


def housekeeping_run() -> dict:
    sessions_clear_expired()
    return {"baskets_deleted": baskets_delete_stale()}

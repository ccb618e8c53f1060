"""Rendered catalogue fragments, invalidated by a version number.

Every fragment key carries the catalogue version; any change to a product,
its stock, price, image, attributes or categories bumps the version (see
receivers.py), so the next request renders afresh. Code that changes stock
with ``QuerySet.update()`` (which sends no signal) calls
``bump_catalogue_version()`` itself.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() so that two processes starting together agree on one value.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_catalogue_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def fragment_key(*parts) -> str:
    return ":".join(
        ["catalogue", str(catalogue_version()), get_language() or ""] + [str(p) for p in parts]
    )


def cached_fragment(key: str, build):
    """Return the cached value under ``key``, building and storing it on a miss."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.COMPTOIR_CATALOGUE_CACHE_SECONDS)
    return value

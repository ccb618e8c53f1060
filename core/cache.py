"""A Redis cache that behaves as an empty cache while Redis is down.

Django's RedisCache raises on every call when Redis does not answer, which
would turn a Redis outage into a shop that answers 500 everywhere: pages,
sessions (``cached_db`` reads the database when the cache has nothing),
the bot guard's counters. With this backend a failed call logs a warning
and answers as a cache that holds nothing (``get`` the default, ``add``
False, ``set`` nothing): pages are rendered, sessions come from the
database. After a failure Redis is left alone for ``RETRY_SECONDS`` (per
process), so a dead server costs one failed connection per few seconds,
not one per call; the connection and socket timeouts (settings, OPTIONS)
bound how long that one call waits. Keys are not checked against
memcached's limits, which Redis does not have.
"""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
T = TypeVar("T")


class FailSoftRedisCache(RedisCache):
    _down_until = 0.0

    def validate_key(self, key: Any) -> None:
        """Redis takes any key: no check for memcached's limits (a loop over
        each character of each key, on every call; a page reads 30 keys)."""

    def _soft(self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except (RedisError, OSError) as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning("cache unavailable, served without it: %s", error)
            return fallback

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        def call() -> Any:
            return super(FailSoftRedisCache, self).get(key, default, version)

        return self._soft(call, default)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._soft(lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._soft(lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    def add(self, key: Any, value: Any, timeout: Any = 300, version: Any = None) -> Any:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), False
        )

    def set(self, key: Any, value: Any, timeout: Any = 300, version: Any = None) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data: Any, timeout: Any = 300, version: Any = None) -> Any:
        return self._soft(
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key: Any, timeout: Any = 300, version: Any = None) -> Any:
        def call() -> Any:
            return super(FailSoftRedisCache, self).touch(key, timeout, version)

        return self._soft(call, False)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._soft(lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        def call() -> Any:
            return super(FailSoftRedisCache, self).incr(key, delta, version)

        missing = object()
        value = self._soft(call, missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value

    def clear(self) -> None:
        self._soft(lambda: super(FailSoftRedisCache, self).clear(), None)

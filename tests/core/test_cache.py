"""core.cache.FailSoftRedisCache: Redis down is an empty cache, not an error."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from core.cache import RETRY_SECONDS, FailSoftRedisCache


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def down():
    return FailSoftRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )


def test_every_call_answers_as_an_empty_cache(down):
    assert down.get("k", "default") == "default"
    down._down_until = 0.0  # each call tries Redis again
    assert down.get_many(["a", "b"]) == {}
    down._down_until = 0.0
    assert down.add("k", 1) is False
    down._down_until = 0.0
    assert down.set("k", 1) is None
    down._down_until = 0.0
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]
    down._down_until = 0.0
    assert down.delete("k") is False
    down._down_until = 0.0
    assert down.has_key("k") is False
    down._down_until = 0.0
    with pytest.raises(ValueError):
        down.incr("k")


def test_after_a_failure_redis_is_left_alone_for_a_while(down, monkeypatch):
    """One failed connection, then RETRY_SECONDS without trying: a dead
    Redis costs a page one timeout, not one per cache call."""
    calls = []
    original = RedisCache.get

    def counted(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", counted)
    for _ in range(5):
        assert down.get("k") is None
    assert len(calls) == 1
    assert RETRY_SECONDS >= 1
    down._down_until = 0.0  # the pause is over
    down.get("k")
    assert len(calls) == 2

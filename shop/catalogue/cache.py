"""Cached catalogue fragments and pages, invalidated by what changed.

**Tags.** Every cached entry (a fragment, a whole page, a visitor's header)
records the tags it was built from, and when its build began. A tag names
something that changes: ``p:<product pk>`` (its text, pictures, stock,
price), ``c:<category path>`` (which products a category lists),
``products`` (which products exist and are public: listings, search, home),
``catalogue`` (the category tree, product classes, attributes, partners:
every page), ``u:<user pk>`` and ``b:<basket pk>`` (a visitor's header). A
tag's value in the cache is the time of its last change, set after the
change commits (``cache_tags_touch``). An entry is fresh while none of its
tags changed after its build began, and for ``COMPTOIR_CATALOGUE_CACHE_SECONDS``
at most. So a stock change re-renders the pages that show that product (its
page, the listings and searches that list it) and no other.

Times come from the web and worker processes' clocks: they must agree within
``COMPTOIR_CACHE_CLOCK_MARGIN`` (one machine, or NTP). A tag missing from the
cache (expired, evicted, Redis restarted) counts as changed now: entries
that depend on it are rebuilt, never served on trust.

**Bounded.** Every key has a time to live: entries
``COMPTOIR_CATALOGUE_CACHE_SECONDS`` + ``COMPTOIR_CACHE_STALE_SECONDS``, tags
twice that; Redis runs with ``maxmemory`` and ``allkeys-lru`` (README), which
may evict anything at any time: a missing entry is rebuilt, a missing tag
makes its entries stale.

**Each process keeps a copy** of the entries it served last
(``COMPTOIR_CACHE_LOCAL_ENTRIES``, least recently used dropped first): an
entry is served from it while its tags say it is fresh, so a page costs one
round trip to Redis (its tags' stamps) instead of also fetching its 50 kB.
Every entry carries the ``live`` tag, never touched: a flushed or evicted
cache loses its stamp, and every process's copies become stale with it.

**Redis down.** Every call here goes through the default cache; a failing
Redis behaves as an empty one (``core.cache.FailSoftRedisCache``), so pages
are rendered, not served from the cache.
"""

import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

CATALOGUE = "catalogue"
PRODUCTS = "products"
LIVE = "live"
TAG_PREFIX = "tag:"


def product_tag(pk) -> str:
    return f"p:{pk}"


def category_tags(path: str, steplen: int = 4) -> list[str]:
    """The tags of a category and of each category above it (its path's
    prefixes), which list its products too."""
    return [f"c:{path[:end]}" for end in range(steplen, len(path) + 1, steplen)]


def entry_seconds() -> int:
    return settings.COMPTOIR_CATALOGUE_CACHE_SECONDS + settings.COMPTOIR_CACHE_STALE_SECONDS


def tag_seconds() -> int:
    return 2 * entry_seconds()


# --- Changes ------------------------------------------------------------------


def now_ms() -> int:
    """Times in whole milliseconds: Redis keeps integers as they are (no
    pickling), and a page reads some thirty of them."""
    return int(time.time() * 1000)


def _touch_now(tags) -> None:
    now = now_ms()
    cache.set_many({TAG_PREFIX + tag: now for tag in tags}, tag_seconds())


def cache_tags_touch(tags) -> None:
    """Mark ``tags`` changed: now, and again once the current transaction
    commits (a page built between the change and the commit reads the old
    rows: the second stamp makes it stale). The first stamp serves the
    requests made inside the transaction (tests, a view that changes then
    renders)."""
    tags = sorted(set(tags))
    if tags:
        _touch_now(tags)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _touch_now(tags))


def products_changed(product_ids) -> None:
    """Stock, price or content of these products changed (on commit)."""
    cache_tags_touch(product_tag(pk) for pk in product_ids)


def catalogue_changed() -> None:
    """Anything may have changed (bulk loads): every catalogue page."""
    cache_tags_touch([CATALOGUE, PRODUCTS])


# --- Building: what an entry depends on -----------------------------------------


@dataclass
class Dependencies:
    """The tags a build read, each with when the oldest part showing it was
    built (a fragment taken from the cache was built before the page)."""

    tags: dict = field(default_factory=dict)
    since: int = field(default_factory=now_ms)

    def add(self, tags, since: int | None = None) -> None:
        since = self.since if since is None else since
        for tag in tags:
            known = self.tags.get(tag)
            self.tags[tag] = since if known is None else min(known, since)


_building: ContextVar[tuple[Dependencies, ...]] = ContextVar("cache_building", default=())


def cache_depends(*tags, since: int | None = None) -> None:
    """Record that what is being built shows ``tags`` (in every build under
    way: a fragment inside a page counts for both), read at ``since`` (now)."""
    for deps in _building.get():
        deps.add(tags, since)


def _inherit(entry: "Entry") -> None:
    """A cached entry used in a build: its tags, as old as they are."""
    for deps in _building.get():
        for tag, since in entry.tags:
            deps.add([tag], since)


class building:
    """``with building() as deps:`` collects what the code inside depends on."""

    def __enter__(self) -> Dependencies:
        self.deps = Dependencies()
        self._token = _building.set((*_building.get(), self.deps))
        return self.deps

    def __exit__(self, *exc) -> None:
        _building.reset(self._token)


# --- Entries --------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    value: object
    tags: tuple  # (tag, when what shows it was read, ms), ...
    built_at: int  # ms


def stale_since(entry: Entry, stamps: dict) -> int | None:
    """None while ``entry`` is fresh; else when it became stale (ms).
    ``stamps`` holds the tags' last changes (``tag_stamps``)."""
    margin = settings.COMPTOIR_CACHE_CLOCK_MARGIN * 1000
    now = now_ms()
    expired_at = entry.built_at + settings.COMPTOIR_CATALOGUE_CACHE_SECONDS * 1000
    changes = [expired_at] if expired_at <= now else []
    for tag, since in entry.tags:
        stamp = stamps.get(TAG_PREFIX + tag)
        if stamp is None:
            changes.append(now)
        elif stamp + margin >= since:
            changes.append(stamp)
    return min(changes) if changes else None


def tag_stamps(*entries: Entry | None) -> dict:
    """The last change of every tag of ``entries``, in one round trip."""
    keys = {TAG_PREFIX + tag for entry in entries if entry for tag, _since in entry.tags}
    return cache.get_many(sorted(keys)) if keys else {}


def entry_store(key: str, value, deps: Dependencies) -> Entry:
    """Store ``value`` as built from ``deps``. A tag not in the cache gets a
    first stamp from before the build began (the build read what it names),
    with ``add``: a change stamped meanwhile is never overwritten."""
    deps.add([LIVE])
    entry = Entry(value, tuple(sorted(deps.tags.items())), deps.since)
    stamps = tag_stamps(entry)
    margin = int(settings.COMPTOIR_CACHE_CLOCK_MARGIN * 1000)
    for tag, since in entry.tags:
        if TAG_PREFIX + tag not in stamps:
            cache.add(TAG_PREFIX + tag, since - margin - 1, tag_seconds())
    cache.set(key, entry, entry_seconds())
    _local_put(key, entry)
    return entry


def entry_get(key: str) -> Entry | None:
    entry = cache.get(key)
    return entry if isinstance(entry, Entry) else None


# --- This process's copies -------------------------------------------------------

_local: OrderedDict[str, Entry] = OrderedDict()
_local_lock = threading.Lock()


def _local_put(key: str, entry: Entry) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > settings.COMPTOIR_CACHE_LOCAL_ENTRIES:
            _local.popitem(last=False)


def _local_get(key: str) -> Entry | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def entries_get(keys: list[str]) -> tuple[dict, dict]:
    """The entries under ``keys`` (None where there is none) and their tags'
    stamps: this process's copy where the tags say it is fresh, else Redis's
    (another process may have rebuilt it). One round trip when every entry
    is in this process's copies and fresh; two or three otherwise."""
    found = {key: _local_get(key) for key in keys}
    fetch = [key for key, entry in found.items() if entry is None]
    stamps: dict = {}
    for attempt in range(2):
        if fetch:
            fetched = cache.get_many(fetch)
            for key in fetch:
                entry = fetched.get(key)
                found[key] = entry if isinstance(entry, Entry) else None
                if found[key] is not None:
                    _local_put(key, found[key])
        stamps = tag_stamps(*found.values())
        if attempt:
            break
        fetch = [
            key
            for key, entry in found.items()
            if entry is not None and key not in fetch and stale_since(entry, stamps) is not None
        ]
        if not fetch:
            break
    return found, stamps


# --- Fragments -----------------------------------------------------------------


def fragment_key(*parts) -> str:
    return ":".join(["catalogue", get_language() or ""] + [str(p) for p in parts])


def cached_fragment(key: str, build, tags=()):
    """The value cached under ``key`` while fresh; else ``build()`` (which
    may call ``cache_depends`` for what it finds it shows), stored with
    ``tags``, what it recorded and ``catalogue``. The page around it depends
    on the same tags."""
    entry = entry_get(key)
    if entry is None or stale_since(entry, tag_stamps(entry)) is not None:
        with building() as deps:
            deps.add([CATALOGUE, *tags])
            value = build()
        entry = entry_store(key, value, deps)
    _inherit(entry)
    return entry.value

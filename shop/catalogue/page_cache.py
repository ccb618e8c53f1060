"""Whole storefront pages, cached once for every visitor.

A catalogue page (home, catalogue, category, search, product) is the same
for every visitor of a language but for:

- the header's **account links** (log in, or my account with the unread
  notifications, the dashboard for staff, the log-out form) and **basket
  link** (count and total): the shared copy holds a marker
  (``<!--comptoir:personal:account-->``) that each response fills from the
  visitor's own entry, below;
- Django's **messages**: rendered per request, only when there are some;
- the **CSRF token** of every form and the **CSP nonce** of the inline
  scripts: stored as placeholders, replaced by the visitor's own;
- the **language**: part of the key (the URL says it).

The shared copy is rendered with an anonymous user and an empty basket,
whoever asked for it, so nothing personal can reach it even by mistake.

**The visitor's entry** holds the account and basket links' HTML in the
page's language, built through Django's and Oscar's own code (the user, its
permissions and notifications, the basket with its offers) on a miss, and
kept under a key made of the session and basket cookies (both unguessable;
a new session key at each login and logout), tagged ``u:<user>``,
``b:<basket>``, each product in the basket and ``offers`` (receivers.py),
so a change to the account, the basket, a price in it or an offer rebuilds
it. A visitor with neither cookie shares one anonymous entry. A page served
from the cache costs no SQL query and does not read the session, whoever
the visitor: page and visitor entries in one round trip to Redis, their
tags in another.

**Stale pages** (a tag changed, or older than
``COMPTOIR_CATALOGUE_CACHE_SECONDS``) are rebuilt by the one request that
takes the page's lock; the others get the previous copy for up to
``COMPTOIR_CACHE_STALE_SECONDS``, and past that render the page themselves
without storing it. A page not cached at all is rendered by each request
that finds it missing, and stored by the one holding the lock.

**Pages of one visitor** (the basket page: ``own_page_cache``) are kept
under a key made of the page's and the visitor's (their cookies), with the
header and messages as markers as above, and the tags the view declared it
shows (``cache_depends``: the basket, its products, the user, offers,
delivery charges). Served while none changed, without a query; rebuilt at
once when one did (never a stale copy: the visitor must see their change).

Prices: every visitor sees the same catalogue prices (with and without
VAT, partials/price.html); customer discounts apply in the basket. If
prices ever differ by customer, register the request's price list with
``page_variant_register`` so pages vary by it (never by user).
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from oscar.core.loading import get_model

from .cache import (
    Entry,
    building,
    entries_get,
    entry_get,
    entry_store,
    now_ms,
    product_tag,
    stale_since,
)

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__comptoir_csrf__"
NONCE_ATTR = re.compile(rb'(<script[^>]* nonce=")[^"]*(")')
NONCE_PLACEHOLDER = b"__comptoir_csp_nonce__"
# Query parameters the storefront reads. Any other (utm_source, fbclid...)
# skips the cache, so that made-up URLs cannot fill it.
CACHED_PARAMETERS = {"q", "page"}

# The personal parts of the page shell (layout.html: {% personal "..." %}).
PERSONAL_TEMPLATES = {
    "account": "partials/account_links.html",
    "basket": "partials/basket_link.html",
    "messages": "oscar/partials/alert_messages.html",
}
VISITOR_PARTS = ("account", "basket")
OFFERS = "offers"


def personal_marker(name: str) -> str:
    return f"<!--comptoir:personal:{name}-->"


def user_tag(pk) -> str:
    return f"u:{pk}"


def basket_tag(pk) -> str:
    return f"b:{pk}"


# What the shared page shell depends on beyond its URL, registered by apps
# above (billing: the payment providers configured, named in the footer):
# a change there must not serve pages cached without it.
_shell_variants: list = []
# What of a request the pages depend on (a price list, one day): called
# with the request, never returning anything that names the visitor.
_request_variants: list = []


def page_shell_variant_register(variant) -> None:
    """Register a function returning a string the cached pages vary by."""
    if variant not in _shell_variants:
        _shell_variants.append(variant)


def page_variant_register(variant) -> None:
    """Register a function of the request returning a string the cached
    pages vary by (a price list, a tax display mode: never the user)."""
    if variant not in _request_variants:
        _request_variants.append(variant)


def is_cacheable(request) -> bool:
    return request.method in ("GET", "HEAD") and not set(request.GET) - CACHED_PARAMETERS


def is_anonymous_first_visit(request) -> bool:
    cookies = request.COOKIES
    return (
        is_cacheable(request)
        and settings.SESSION_COOKIE_NAME not in cookies
        and settings.OSCAR_BASKET_COOKIE_OPEN not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _has_cookies(request) -> bool:
    cookies = request.COOKIES
    return any(
        name in cookies
        for name in (
            settings.SESSION_COOKIE_NAME,
            settings.OSCAR_BASKET_COOKIE_OPEN,
            CookieStorage.cookie_name,
        )
    )


def page_key(request) -> str:
    variants = [variant() for variant in _shell_variants]
    variants += [variant(request) for variant in _request_variants]
    text = "|".join([request.get_full_path(), *variants])
    return f"page:{get_language()}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def visitor_key(request) -> str:
    """The key of the visitor's personal parts, from their session and
    basket cookies as the browser sent them, without reading the session:
    Django gives a new session key at each login and logout (and at a
    password change), and the entry is tagged with the user, so a change
    elsewhere (password, name, rights) rebuilds it through Django's own
    checks."""
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    basket = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN, "")
    if not (session or basket):
        return f"visitor:{get_language()}:anonymous"
    digest = hashlib.sha256(f"{session}|{basket}".encode()).hexdigest()[:40]
    return f"visitor:{get_language()}:{digest}"


def _tokenless(html) -> bytes:
    """HTML with its CSRF tokens and CSP nonces as placeholders."""
    body = html.encode() if isinstance(html, str) else html
    body = CSRF_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", body)
    return NONCE_ATTR.sub(rb"\1" + NONCE_PLACEHOLDER + rb"\2", body)


def visitor_build(request, key: str) -> Entry:
    """The visitor's account and basket links, rendered as on any page (the
    context processors, Oscar's basket with its offers), then stored."""
    with building() as deps:
        user = request.user
        if user.is_authenticated:
            deps.add([user_tag(user.pk)])
        basket = request.basket
        if basket.id:
            deps.add([basket_tag(basket.id), OFFERS])
            deps.add(product_tag(line.product_id) for line in basket.all_lines())
        parts = {
            name: _tokenless(render_to_string(PERSONAL_TEMPLATES[name], request=request))
            for name in VISITOR_PARTS
        }
    return entry_store(key, parts, deps)


def _messages_html(request) -> bytes:
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return render_to_string(PERSONAL_TEMPLATES["messages"], {"messages": storage}).encode()
    return _no_messages()


@functools.cache
def _no_messages() -> bytes:
    return render_to_string(PERSONAL_TEMPLATES["messages"], {"messages": []}).encode()


# What each response fills in a cached page: personal parts, messages,
# CSRF token, CSP nonce.
SLOTS = re.compile(
    rb"(<!--comptoir:personal:(?:account|basket|messages)-->|"
    + re.escape(PLACEHOLDER)
    + rb"|"
    + re.escape(NONCE_PLACEHOLDER)
    + rb")"
)


def segments(body: bytes) -> tuple:
    """A page cut at its slots, once when it is stored: the even items are
    the page's own bytes, the odd ones the slots (one pass to fill it, not a
    search of the whole page per slot)."""
    return tuple(SLOTS.split(body))


def fill(request, body, visitor: Entry) -> bytes:
    """The cached page (its segments, or bytes) made the visitor's."""
    parts = body if isinstance(body, tuple) else segments(body)
    slots = set(parts[1::2])
    wanted = PLACEHOLDER in slots or any(PLACEHOLDER in visitor.value[n] for n in VISITOR_PARTS)
    token = get_token(request).encode() if wanted else b""
    nonce = str(getattr(request, "csp_nonce", "")).encode()

    def own(html: bytes) -> bytes:
        # The visitor's parts hold placeholders of their own (the log-out form).
        return html.replace(PLACEHOLDER, token).replace(NONCE_PLACEHOLDER, nonce)

    values = {personal_marker(name).encode(): own(visitor.value[name]) for name in VISITOR_PARTS}
    if personal_marker("messages").encode() in slots:
        values[personal_marker("messages").encode()] = _messages_html(request)
    values[PLACEHOLDER], values[NONCE_PLACEHOLDER] = token, nonce
    return b"".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def _respond(request, content_type: str, body, visitor: Entry) -> HttpResponse:
    response = HttpResponse(fill(request, body, visitor), content_type=content_type)
    return _headers(request, response)


def _headers(request, response):
    patch_vary_headers(response, ("Cookie",))
    if _has_cookies(request):
        # The header names the visitor: no shared proxy may keep it.
        patch_cache_control(response, private=True)
    return response


def _render_shared(view, request, args, kwargs):
    """The page as anyone would get it: rendered for an anonymous visitor
    with an empty basket, its personal parts left as markers. Returns the
    response (rendered) and what it depends on."""
    Basket = get_model("basket", "Basket")
    user, basket = request.user, getattr(request, "basket", None)
    empty = Basket()
    empty.strategy = getattr(request, "strategy", None)
    request.user, request.basket, request.page_cache_building = AnonymousUser(), empty, True
    try:
        with building() as deps:
            response = view(request, *args, **kwargs)
            if not getattr(response, "is_rendered", True):
                # What Oscar's basket middleware would add before rendering.
                if getattr(response, "context_data", None) is not None:
                    response.context_data.setdefault("basket", empty)
                response.render()
    finally:
        request.user, request.basket, request.page_cache_building = user, basket, False
    return response, deps


def _is_storable(response) -> bool:
    # Only a plain 200 that set no cookie of its own is the same for all.
    return response.status_code == 200 and not response.cookies


def _build(view, request, args, kwargs, key: str, visitor: Entry, *, store: bool):
    response, deps = _render_shared(view, request, args, kwargs)
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    body = segments(_tokenless(response.content))
    if store and _is_storable(response):
        entry_store(key, (response["Content-Type"], body), deps)
    response.content = fill(request, body, visitor)
    return _headers(request, response)


def _entries(key: str, vkey: str):
    found, stamps = entries_get([key, vkey])
    return (found[key], found[vkey]), stamps


def shared_page_cache(view=None, *, first_visit_only: bool = False):
    """Serve the view's page from the cache for every visitor (or, with
    ``first_visit_only``, only to those with no session, basket or messages
    cookie: the basket page, the same empty page for all of them)."""
    if view is None:
        return functools.partial(shared_page_cache, first_visit_only=first_visit_only)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        eligible = is_anonymous_first_visit if first_visit_only else is_cacheable
        if not eligible(request):
            return view(request, *args, **kwargs)
        key, vkey = page_key(request), visitor_key(request)
        (page, visitor), stamps = _entries(key, vkey)
        if visitor is None or stale_since(visitor, stamps) is not None:
            visitor = visitor_build(request, vkey)
        since = stale_since(page, stamps) if page is not None else 0
        if since is None:
            return _respond(request, *page.value, visitor)
        lock = f"lock:{key}"
        if cache.add(lock, 1, settings.COMPTOIR_CACHE_STALE_SECONDS):
            try:
                return _build(view, request, args, kwargs, key, visitor, store=True)
            finally:
                cache.delete(lock)
        if page is not None and now_ms() - since < settings.COMPTOIR_CACHE_STALE_SECONDS * 1000:
            # Another request is rebuilding it: the previous copy meanwhile.
            return _respond(request, *page.value, visitor)
        return _build(view, request, args, kwargs, key, visitor, store=False)

    return wrapped


anonymous_page_cache = shared_page_cache(first_visit_only=True)


# --- Pages of one visitor (the basket page) ----------------------------------


def own_page_key(request) -> str:
    """The key of a page that shows the visitor's own data: the page's key
    and the visitor's (their cookies), so no other visitor can reach it."""
    text = f"{page_key(request)}|{visitor_key(request)}"
    return f"own:{get_language()}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def _build_own(view, request, args, kwargs, key: str, visitor: Entry):
    """The page rendered for the visitor, with the header's personal parts
    and the messages as markers (filled per response, so a message is shown
    once), stored with what the view declared it shows (``cache_depends``)."""
    request.page_cache_building = True
    try:
        with building() as deps:
            response = view(request, *args, **kwargs)
            if not getattr(response, "is_rendered", True):
                if getattr(response, "context_data", None) is not None:
                    # What Oscar's basket middleware would add before rendering.
                    response.context_data.setdefault("basket", request.basket)
                response.render()
    finally:
        request.page_cache_building = False
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    body = segments(_tokenless(response.content))
    if _is_storable(response) and deps.tags:
        entry_store(key, (response["Content-Type"], body), deps)
    response.content = fill(request, body, visitor)
    return _headers(request, response)


def own_page_cache(view):
    """Serve a page that shows the visitor's own data (their basket) from
    the cache, for that visitor only, while nothing it shows changed. The
    view declares what it shows with ``cache_depends`` (the basket, its
    products, the user, offers, delivery charges); a page that declared
    nothing is not kept. A stale page is rebuilt at once, never served: the
    visitor must see their own change."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_cacheable(request) or not _has_cookies(request):
            return view(request, *args, **kwargs)
        key, vkey = own_page_key(request), visitor_key(request)
        (page, visitor), stamps = _entries(key, vkey)
        if visitor is None or stale_since(visitor, stamps) is not None:
            visitor = visitor_build(request, vkey)
        if page is not None and stale_since(page, stamps) is None:
            return _respond(request, *page.value, visitor)
        return _build_own(view, request, args, kwargs, key, visitor)

    return wrapped


def cached_page(request) -> Entry | None:
    """The cached entry of this request's page, if any (tests, bench)."""
    return entry_get(page_key(request))

"""Whole storefront pages cached for anonymous first-time visitors.

A visitor with no session, basket or messages cookie sees exactly what every
such visitor sees, except the CSRF token of the page's forms (language
switch, buy box) and the Content-Security-Policy nonce of its inline
scripts: the page is stored with placeholders there, and each response gets
the visitor's own token (get_token() also sets the CSRF cookie, as
rendering would) and its own nonce (reading request.csp_nonce puts the same
one in the CSP header; a nonce served twice would be worthless). The key
carries the catalogue version and the language like every catalogue fragment
(cache.py), so a catalogue change invalidates cached pages too. Measured in bench/README.md.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from .cache import fragment_key

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__comptoir_csrf__"
NONCE_ATTR = re.compile(rb'(<script[^>]* nonce=")[^"]*(")')
NONCE_PLACEHOLDER = b"__comptoir_csp_nonce__"
# Query parameters the storefront reads. Any other (utm_source, fbclid...)
# skips the cache, so that made-up URLs cannot fill it.
CACHED_PARAMETERS = {"q", "page"}


# What the shared page shell depends on beyond its URL, registered by apps
# above (billing: the payment providers configured, named in the footer):
# a change there must not serve pages cached without it.
_shell_variants: list = []


def page_shell_variant_register(variant) -> None:
    """Register a function returning a string the cached pages vary by."""
    if variant not in _shell_variants:
        _shell_variants.append(variant)


def is_anonymous_first_visit(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and not set(request.GET) - CACHED_PARAMETERS
        and settings.SESSION_COOKIE_NAME not in cookies
        and settings.OSCAR_BASKET_COOKIE_OPEN not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _store(key, response) -> None:
    # Only a plain 200 that set no cookie of its own is the same for all.
    if response.status_code == 200 and not response.cookies:
        body = CSRF_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        body = NONCE_ATTR.sub(rb"\1" + NONCE_PLACEHOLDER + rb"\2", body)
        cache.set(key, (response["Content-Type"], body), settings.COMPTOIR_CATALOGUE_CACHE_SECONDS)


def anonymous_page_cache(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_first_visit(request):
            return view(request, *args, **kwargs)
        shell = "|".join(variant() for variant in _shell_variants)
        digest = hashlib.sha256(f"{request.get_full_path()}|{shell}".encode()).hexdigest()[:32]
        key = fragment_key("page", digest)
        cached = cache.get(key)
        if cached is not None:
            content_type, body = cached
            token = get_token(request).encode()
            body = body.replace(PLACEHOLDER, token)
            if NONCE_PLACEHOLDER in body:
                body = body.replace(
                    NONCE_PLACEHOLDER, str(getattr(request, "csp_nonce", "")).encode()
                )
            return HttpResponse(body, content_type=content_type)
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            _store(key, response)
        else:
            # Stored once the middlewares have added to its context (Oscar's
            # basket middleware adds the basket) and it is rendered.
            response.add_post_render_callback(functools.partial(_store, key))
        return response

    return wrapped

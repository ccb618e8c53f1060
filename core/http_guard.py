"""Requests a client can send but no view should see.

PostgreSQL refuses a NUL byte in any text it is given (``ValueError: A
string literal cannot contain NUL (0x00) characters`` from psycopg), so a
``%00`` in a path segment, a query parameter, a form field or a cookie
became a 500 on every view that looks the value up. No legitimate client
sends one: ``NulByteGuardMiddleware`` answers 400 with the shop's page
before any view, session lookup or form runs.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)

NUL = "\x00"

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class NulByteInRequest(SuspiciousOperation):
    """A NUL byte somewhere in what the client sent."""


def _has_nul(values: Iterable[object]) -> bool:
    return any(NUL in value for value in values if isinstance(value, str))


def request_has_nul(request: HttpRequest) -> str | None:
    """Where the request carries a NUL byte ("path", "query", ...), or None."""
    if NUL in request.path or NUL in request.path_info:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or _has_nul(values):
            return "query"
    if _has_nul(request.COOKIES) or _has_nul(request.COOKIES.values()):
        return "cookie"
    headers = {k: v for k, v in request.META.items() if k.startswith("HTTP_")}
    if _has_nul(headers.values()):
        return "header"
    # A urlencoded body is read whole and kept (request.body still works, for
    # the webhooks); a multipart one is left to the view, whose form fields
    # refuse NUL themselves (Django's ProhibitNullCharactersValidator):
    # parsing it here would consume the upload stream.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        for name, values in request.POST.lists():
            if NUL in name or _has_nul(values):
                return "form"
    return None


class NulByteGuardMiddleware:
    """Answers 400 (the shop's 400 page) to a request with a NUL byte in its
    path, query, cookies, headers or form fields. Place it after the locale
    middleware (the page is in the visitor's language) and before anything
    that reads the session or the database."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        where = request_has_nul(request)
        if where is not None:
            return bad_request(request, NulByteInRequest(f"NUL byte in the {where}"))
        return self.get_response(request)


def in_staff_area(request: HttpRequest) -> bool:
    """The request is for a third-party staff screen (``COMPTOIR_FORGED_ID_AREAS``:
    the admin, Oscar's dashboard), whatever its language prefix."""
    path = request.path_info
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :]
    return path.startswith(tuple(getattr(settings, "COMPTOIR_FORGED_ID_AREAS", ())))


class StaffAreaForgedIdMiddleware:
    """A safety net for the third-party staff screens (Django's admin,
    Oscar's dashboard; ``COMPTOIR_FORGED_ID_AREAS``): they trust the ids
    their own forms post, so a forged one ("abc" for an integer key, an id
    that no longer exists) raised ValueError or DoesNotExist, a 500. There it
    is answered 400, and logged with its traceback as a warning so that a
    real bug stays visible. Our own views do not rely on it: they answer 404
    or a form error themselves (tests/security/test_fuzz.py)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if not isinstance(exception, ValueError | ObjectDoesNotExist):
            return None
        if not in_staff_area(request):
            return None
        logger.warning(
            "Forged input in a staff screen: %s %s", request.method, request.path, exc_info=True
        )
        return bad_request(request, exception)

"""Requests a client can send but no view should see.

PostgreSQL refuses a NUL byte in any text it is given (``ValueError: A
string literal cannot contain NUL (0x00) characters`` from psycopg), so a
``%00`` in a path segment, a query parameter, a form field or a cookie
became a 500 on every view that looks the value up. No legitimate client
sends one: ``NulByteGuardMiddleware`` answers 400 with the shop's page
before any view, session lookup or form runs.
"""

from django.core.exceptions import SuspiciousOperation
from django.views.defaults import bad_request

NUL = "\x00"


class NulByteInRequest(SuspiciousOperation):
    """A NUL byte somewhere in what the client sent."""


def _has_nul(values) -> bool:
    return any(NUL in value for value in values if isinstance(value, str))


def request_has_nul(request) -> str | None:
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
    if request.method == "POST":
        for name, values in request.POST.lists():
            if NUL in name or _has_nul(values):
                return "form"
        if any(NUL in (upload.name or "") for upload in request.FILES.values()):
            return "form"
    return None


class NulByteGuardMiddleware:
    """Answers 400 (the shop's 400 page) to a request with a NUL byte in its
    path, query, cookies, headers or form fields. Place it after the locale
    middleware (the page is in the visitor's language) and before anything
    that reads the session or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = request_has_nul(request)
        if where is not None:
            return bad_request(request, NulByteInRequest(f"NUL byte in the {where}"))
        return self.get_response(request)

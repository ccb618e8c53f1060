"""Logs that operations can follow: a request id on every line of a
request, and one line per request.

``RequestLogMiddleware`` (first in MIDDLEWARE) takes the request id from the
proxy's ``X-Request-ID`` header when it is a sane token, else makes one,
sends it back in the response's ``X-Request-ID``, keeps it for the request's
duration (a context variable, so threads and async tasks see their own) and
logs one line on ``comptoir.request`` when the response is ready: request
id, user id (when already known: it never costs a query), method, path
(without the query string, which may carry personal data), status and
duration in milliseconds.

``RequestIdFilter`` puts ``record.request_id`` on every record ("-" outside
a request), so a handler's format can name it; ``JsonFormatter`` writes
each record as one JSON object on one line, with the request's fields when
the record has them. Production's LOGGING uses both; development keeps
plain lines (shop/settings).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty
from django.utils.log import log_response

logger = logging.getLogger("comptoir.request")

HEADER = "X-Request-ID"
# What a proxy's request id may look like (a UUID, a hex or base64 token):
# anything else (too long, spaces, control characters) is replaced, never logged.
_SANE_ID = re.compile(r"[A-Za-z0-9._:+/=-]{8,128}")
_request_id: ContextVar[str] = ContextVar("comptoir_request_id", default="-")

# Fields a request's log line carries, in this order in the JSON.
REQUEST_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


def current_request_id() -> str:
    """The id of the request being served ("-" outside one)."""
    return _request_id.get()


def request_id_from(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | str | None:
    """The signed-in user's id if the request already looked them up, else
    the session's if it is already loaded; never a query of its own."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is not None:
        return getattr(user, "pk", None)
    session = getattr(request, "session", None)
    cache = getattr(session, "_session_cache", None)
    if isinstance(cache, dict) and "_auth_user_id" in cache:
        value = cache["_auth_user_id"]
        return int(value) if str(value).isdigit() else str(value)
    return None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request)
        token = _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        _sentry_tag(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if response.status_code >= 400:
                # Django logs an error response after the middleware has
                # returned (outside the request's id); logged here, once.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,  # type: ignore[arg-type]  # (stubs: HttpResponse only)
                    request=request,
                )
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _sentry_tag(request_id: str) -> None:
    """The same id on a Sentry event as in the logs (a no-op without Sentry)."""
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is in the requirements
        return
    sentry_sdk.set_tag("request_id", request_id)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (the request's, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger,
    message, request id, the request's fields when present, and the
    traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for field in REQUEST_FIELDS[1:]:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

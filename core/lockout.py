"""The page a visitor sees when django-axes has locked a login out.

Axes calls ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``) for the storefront
login, the admin login and the password reset once an account or an IP has
failed ``AXES_FAILURE_LIMIT`` times; the page says, in the visitor's
language, how long to wait and that resetting the password still works.
"""

import math
from collections.abc import Mapping
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse


def login_name(
    request: HttpRequest | None, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """The account a login attempt is for (``AXES_USERNAME_CALLABLE``): what
    was typed, trimmed and lower-cased, so that "Ada@Example.com" and
    "ada@example.com" share one count. Only from the credentials given to
    authenticate(): a page that is not a login (the password reset) is
    checked by IP alone, so a locked account can still reset its password."""
    value = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    return str(value).strip().lower() or None


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(math.ceil(cool_off.total_seconds() / 60), 1) if cool_off else 0


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    minutes = lockout_minutes(request)
    response = TemplateResponse(
        request,
        "account_locked.html",
        {"minutes": minutes},
        # Axes' own setting, with the default axes.conf gives it.
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response.render()


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # (django-axes ships no types)
    """Axes' backend (first in AUTHENTICATION_BACKENDS), except that a call
    made without a request is left to the other backends instead of
    raising: Oscar logs a new account in with ``authenticate(username=...,
    password=...)`` right after registration, with the password just set.
    Every login view passes its request, so every guess is counted."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        user: AbstractBaseUser | None = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        return user

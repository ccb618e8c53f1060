"""Bot protection for public forms, with no external captcha service, that
never turns a real buyer away.

Checks on the form (``BotGuardMixin``):

- a honeypot: a text field people never see (moved off-screen by CSS, out
  of the tab order) that must stay empty; form-filling bots fill it;
- a minimum fill time: the form carries a signed timestamp of when it was
  shown; a submission faster than ``COMPTOIR_ANTIBOT_MIN_SECONDS`` (or with
  a forged or very old stamp) is refused;
- a throttle on what bots do: every *failed or empty* submission of a
  guarded form (bot check or field errors) is counted per session
  (``COMPTOIR_ANTIBOT_SESSION_RATE``) and per client IP, with a much higher
  ceiling for shared company and university networks
  (``COMPTOIR_ANTIBOT_IP_RATE``), with django-ratelimit on the cache. Over
  either, the form is not refused: it asks for a captcha
  (django-simple-captcha, drawn by the shop) and goes through once solved.
  A visitor who has a basket and a session is never throttled (issue 12:
  a guest behind a university's address must be able to pay).

Each failure is a clear non-field form error. Views that are a submission
on their own (no form to show an error on) use ``rate_limit`` as a
decorator and answer 429 over the per-IP ceiling.

Usage::

    class QuoteRequestForm(BotGuardMixin, forms.ModelForm):
        antibot_scope = "quote-request"

    form = QuoteRequestForm(request.POST or None, request=request)

In a template, ``{{ form.website }}`` and ``{{ form.form_ts }}`` render
themselves (Oscar's ``form_fields.html`` does it for you), and so does the
``captcha`` field when it is there.
"""

import functools
import ipaddress
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypedDict

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_ts"
CAPTCHA_FIELD = "captcha"
SESSION_MARK = "antibot_seen"
# A request without a client address (built in code, not from a socket).
UNKNOWN_IP = "0.0.0.0"  # noqa: S104 (a value, not a bind address)
_SALT = "comptoir.antibot"
# Set on a request whose session the guard just started (its key is not
# saved yet when the form is built).
_SESSION_STARTED = "_antibot_session"


# --- Who is asking ---------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address, for the bot guard and the login lockout
    (``AXES_CLIENT_IP_CALLABLE``). Behind COMPTOIR_TRUSTED_PROXIES proxies,
    the address the nearest untrusted hop gave in X-Forwarded-For (the rest
    of that header is whatever the client wrote, so it is not believed)."""
    proxies = getattr(settings, "COMPTOIR_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies and (address := _valid_ip(hops[-proxies])):
            return address
    # Axes stores it in an inet column: never anything but an address.
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_IP


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def session_key(request: HttpRequest) -> str | None:
    """The visitor's session, when the shop issued it (a bot that keeps no
    cookie, or makes one up, has none, and is counted by its IP only)."""
    session: SessionBase | None = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None
    # Loading a key the store does not know empties session_key.
    return session.session_key if session.items() else None


def is_buyer(request: HttpRequest) -> bool:
    """A visitor with a session and a basket with something in it: never
    throttled (the honeypot and the fill time still apply)."""
    basket = getattr(request, "basket", None)
    if basket is None or not getattr(basket, "id", None) or not basket.num_lines:
        return False
    return session_key(request) is not None or bool(getattr(request, _SESSION_STARTED, False))


def visitor_remember(request: HttpRequest) -> None:
    """Starts a session for a visitor shown a guarded form, so that their
    submission comes back with one (a bot posting blind has none)."""
    session: SessionBase | None = getattr(request, "session", None)
    if session is not None and session_key(request) is None:
        session[SESSION_MARK] = True
        setattr(request, _SESSION_STARTED, True)


# --- Counting what bots do ----------------------------------------------------------


class Usage(TypedDict):
    """What django-ratelimit's ``get_usage`` answers."""

    count: int
    limit: int
    should_limit: bool
    time_left: int


def _usage(request: HttpRequest, scope: str, *, per: str, increment: bool) -> Usage | None:
    if per == "session":
        key, rate = session_key(request), settings.COMPTOIR_ANTIBOT_SESSION_RATE
    else:
        key, rate = client_ip(request), settings.COMPTOIR_ANTIBOT_IP_RATE
    if not key or not rate:
        return None
    usage: Usage | None = get_usage(
        request,
        group=f"antibot:{scope}:{per}",
        key=lambda _group, _request: key,
        rate=rate,
        method=ALL,
        increment=increment,
    )
    return usage


def bot_failure_record(request: HttpRequest, scope: str) -> None:
    """Count one failed or empty submission of ``scope`` for this client."""
    for per in ("session", "ip"):
        _usage(request, scope, per=per, increment=True)


def is_throttled(request: HttpRequest, scope: str) -> bool:
    """True once this session, or this IP, failed too often (without
    counting this request); never for a buyer with a basket."""
    if is_buyer(request):
        return False
    for per in ("session", "ip"):
        usage = _usage(request, scope, per=per, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


_P = ParamSpec("_P")
View = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]


def rate_limit(scope: str, methods: Collection[str] = ("POST",)) -> Callable[[View[_P]], View[_P]]:
    """View decorator: every submission counts; over the per-IP ceiling,
    answer 429 with a readable page."""

    def decorator(view: View[_P]) -> View[_P]:
        # The request positional, as Django passes it (Concatenate says so).
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs
        ) -> HttpResponseBase:
            if request.method in methods:
                usage = _usage(request, scope, per="ip", increment=True)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(request, retry_after=usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request: HttpRequest, retry_after: int = 600) -> TemplateResponse:
    response = TemplateResponse(
        request, "429.html", {"minutes": max(retry_after // 60, 1)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


# --- The form mixin --------------------------------------------------------------


class HoneypotInput(forms.TextInput):
    """A text input that renders off-screen; templates treat it as hidden
    (no label, no wrapper), so it needs no template change anywhere."""

    template_name = "antibot/honeypot.html"

    def __init__(self) -> None:
        super().__init__(attrs={"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_hidden(self) -> bool:
        return True


def sign_now() -> str:
    """When the form was shown, signed so that a bot cannot backdate it."""
    # Milliseconds: whole seconds would let a 2 s minimum pass after 1 s.
    return signing.Signer(salt=_SALT).sign(str(int(time.time() * 1000)))


# Mixed into a form: the type checker sees the form it is mixed into (Django's
# BaseForm), Python a plain class, so that the form class still decides the MRO.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class BotGuardMixin(_FormBase):
    """Honeypot, minimum fill time, and a captcha once a client failed too
    often, for a Django form.

    Pass ``request=`` to the form (for the session and the client's IP);
    without it nothing is counted (a form built outside a request, e.g. in
    a test).
    """

    antibot_scope = "default"
    request: HttpRequest | None
    needs_captcha: bool
    # Django's, set by BaseForm.full_clean (its stubs leave the private name out).
    _errors: ErrorDict | None

    # Shown for a honeypot or forged stamp: says nothing a bot could learn from.
    error_rejected = _("This form could not be sent. Please reload the page and try again.")
    error_too_fast = _(
        "This form was sent a little too quickly. Please check it and send it again."
    )
    captcha_help = _(
        "Many unfinished forms came from your connection: please type the letters "
        "of the picture, to show you are not a robot."
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # After the form's own __init__: AuthenticationForm sets its own.
        self.request = request
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, label=_("Leave this field empty"), widget=HoneypotInput()
        )
        self.fields[TIMESTAMP_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=sign_now
        )
        if request is not None and not self.is_bound:
            visitor_remember(request)
        self.needs_captcha = request is not None and is_throttled(request, self.antibot_scope)
        if self.needs_captcha:
            self.fields[CAPTCHA_FIELD] = CaptchaField(
                label=_("Letters in the picture"), help_text=self.captcha_help
            )

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self._errors and self.request is not None:
            bot_failure_record(self.request, self.antibot_scope)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.check_bots()
        return cleaned

    def check_bots(self) -> None:
        """Adds a non-field error when the submission looks automated."""
        if self.data.get(self.add_prefix(HONEYPOT_FIELD)):
            raise forms.ValidationError(self.error_rejected, code="honeypot")
        age = self._form_age()
        if age is None:
            raise forms.ValidationError(self.error_rejected, code="bad_timestamp")
        if age < settings.COMPTOIR_ANTIBOT_MIN_SECONDS:
            # The bound form keeps its stamp: a person who reads the error
            # and sends again is then slow enough.
            raise forms.ValidationError(self.error_too_fast, code="too_fast")

    def _form_age(self) -> float | None:
        stamp = self.data.get(self.add_prefix(TIMESTAMP_FIELD), "")
        try:
            age = time.time() - int(signing.Signer(salt=_SALT).unsign(stamp)) / 1000
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return age if age <= settings.COMPTOIR_ANTIBOT_MAX_AGE else None

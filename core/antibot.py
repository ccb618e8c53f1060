"""Bot protection for public forms, with no external captcha service.

Three checks, all on the form (``BotGuardMixin``):

- a honeypot: a text field people never see (moved off-screen by CSS, out
  of the tab order) that must stay empty; form-filling bots fill it;
- a minimum fill time: the form carries a signed timestamp of when it was
  shown; a submission faster than ``COMPTOIR_ANTIBOT_MIN_SECONDS`` (or with
  a forged or very old stamp) is refused;
- a rate limit on the cache, per client IP and per form ``scope``:
  ``COMPTOIR_ANTIBOT_RATE`` submissions ("5/600": 5 per 600 seconds),
  overridden per scope in ``COMPTOIR_ANTIBOT_RATES``.

Each failure is a clear non-field form error. Views that are a submission
on their own (no form to show an error on) use ``rate_limit`` as a
decorator and answer 429.

Usage::

    class QuoteRequestForm(BotGuardMixin, forms.ModelForm):
        antibot_scope = "quote-request"

    form = QuoteRequestForm(request.POST or None, request=request)

In a template, ``{{ form.website }}`` and ``{{ form.form_ts }}`` render
themselves (Oscar's ``form_fields.html`` does it for you).
"""

import functools
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_ts"
_SALT = "comptoir.antibot"


# --- Rate limiting -------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind COMPTOIR_TRUSTED_PROXIES proxies, the
    address the nearest untrusted hop gave in X-Forwarded-For (the rest of
    that header is whatever the client wrote, so it is not believed)."""
    proxies = getattr(settings, "COMPTOIR_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def rate_for(scope: str) -> tuple[int, int]:
    """(submissions allowed, window in seconds) for a scope."""
    rates = getattr(settings, "COMPTOIR_ANTIBOT_RATES", {}) or {}
    spec = rates.get(scope) or getattr(settings, "COMPTOIR_ANTIBOT_RATE", "5/600")
    count, _sep, seconds = str(spec).partition("/")
    return int(count), int(seconds or 60)


def rate_limit_hit(request: HttpRequest, scope: str) -> bool:
    """Count one submission of ``scope`` from this client; True when it is
    over the limit. A fixed window on the cache: cheap, shared by every web
    process on Redis, and good enough to stop a flood."""
    limit, window = rate_for(scope)
    if limit <= 0:
        return False
    bucket = int(time.time() // window)
    key = f"antibot:{scope}:{client_ip(request)}:{bucket}"
    # add() is atomic: only the first submission of the window creates the key.
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window + 5)
            count = 1
    return count > limit


View = Callable[..., HttpResponse]


def rate_limit(scope: str, methods: Collection[str] = ("POST",)) -> Callable[[View], View]:
    """View decorator: over the limit, answer 429 with a readable page."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and rate_limit_hit(request, scope):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request: HttpRequest) -> HttpResponse:
    _limit, window = rate_for("default")
    response = TemplateResponse(request, "429.html", {"minutes": max(window // 60, 1)}, status=429)
    response["Retry-After"] = str(window)
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


if TYPE_CHECKING:  # what the mixin expects of the form it is mixed into
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class BotGuardMixin(_FormBase):
    """Honeypot, minimum fill time and rate limit for a Django form.

    Pass ``request=`` to the form (for the client's IP); without it the
    rate limit is skipped (a form built outside a request, e.g. in a test).
    """

    antibot_scope = "default"

    # Shown for a honeypot or forged stamp: says nothing a bot could learn from.
    error_rejected = _("This form could not be sent. Please reload the page and try again.")
    error_too_fast = _(
        "This form was sent a little too quickly. Please check it and send it again."
    )
    error_rate = _(
        "Too many attempts from your connection. Please wait %(minutes)s minutes and try again."
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

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.check_bots()
        return cleaned

    def check_bots(self) -> None:
        """Adds a non-field error when the submission looks automated."""
        if self.request is not None and rate_limit_hit(self.request, self.antibot_scope):
            _limit, window = rate_for(self.antibot_scope)
            raise forms.ValidationError(
                self.error_rate, code="rate_limited", params={"minutes": max(window // 60, 1)}
            )
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
        except (signing.BadSignature, ValueError):
            return None
        return age if age <= settings.COMPTOIR_ANTIBOT_MAX_AGE else None

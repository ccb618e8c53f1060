"""The SDK's wiring: configuration (PAYPAL_API_BASE, since the SDK has no
base-URL option), one OAuth token shared through the cache, errors turned
into ProviderError. Settings are read when used."""

import hashlib
import json
import logging
from urllib.parse import urlencode

import requests
from apimatic_core.exceptions.auth_validation_exception import AuthValidationException
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from paypalserversdk.configuration import Configuration, Environment, Server
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.models.o_auth_token import OAuthToken
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from ..base import ProviderError

logger = logging.getLogger(__name__)
# What the SDK raises: PayPal's error answers, no token, no connection.
SDK_ERRORS = (ApiException, AuthValidationException, requests.RequestException)

# PayPal's web pages (where the customer approves) by environment.
WEB_BASES = {"sandbox": "https://www.sandbox.paypal.com", "live": "https://www.paypal.com"}


class PayPalConfiguration(Configuration):
    """The SDK's configuration, sending every call to ``api_base`` when set."""

    def __init__(self, *, api_base: str = "", **kwargs):
        self.api_base = api_base.rstrip("/")
        super().__init__(**kwargs)

    def get_base_uri(self, server=Server.DEFAULT):
        return self.api_base or super().get_base_uri(server)


def make_client() -> PaypalServersdkClient:
    config = PayPalConfiguration(
        api_base=settings.PAYPAL_API_BASE,
        environment=environment(),
        timeout=settings.PAYPAL_TIMEOUT,
        client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
            o_auth_client_id=settings.PAYPAL_CLIENT_ID,
            o_auth_client_secret=settings.PAYPAL_CLIENT_SECRET,
            o_auth_token_provider=cached_token,
        ),
    )
    return PaypalServersdkClient(config=config)


def api_base() -> str:
    default = Configuration.environments[environment()][Server.DEFAULT]
    return settings.PAYPAL_API_BASE.rstrip("/") or default


def approval_url(order_id: str) -> str:
    """PayPal's checkout page for ``order_id``. An approved (or declined)
    PayPal order no longer lists its approval link, but the page still
    takes it: that is where a declined buyer picks another way to pay."""
    base = settings.PAYPAL_API_BASE.rstrip("/") or WEB_BASES[environment_name()]
    return f"{base}/checkoutnow?{urlencode({'token': order_id})}"


def environment_name() -> str:
    name = settings.PAYPAL_ENVIRONMENT.strip().lower()
    return "live" if name in ("live", "production") else "sandbox"


def environment() -> Environment:
    return Environment.PRODUCTION if environment_name() == "live" else Environment.SANDBOX


def cached_token(last_token, auth_manager) -> OAuthToken:
    """The SDK's token provider: one OAuth token shared by every process
    through the cache until shortly before it expires, instead of one per call."""
    key = token_cache_key()
    cached = cache.get(key)
    if cached:
        return OAuthToken(
            access_token=cached["access_token"],
            token_type="Bearer",  # noqa: S106 (a token type, not a secret)
            expiry=cached["expiry"],
        )
    with sdk_errors():
        token = auth_manager.fetch_token()
    expires_in = int(getattr(token, "expires_in", 0) or 0)
    if expires_in > 120:
        cache.set(
            key,
            {"access_token": token.access_token, "expiry": token.expiry},
            timeout=expires_in - 60,
        )
    return token


def token_cache_key() -> str:
    seed = f"{settings.PAYPAL_API_BASE}|{environment_name()}|{settings.PAYPAL_CLIENT_ID}"
    return "paypal:token:" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def json_of(response) -> dict:
    data = json.loads(response.text or "{}")
    return data if isinstance(data, dict) else {}


def error_body(exc) -> dict:
    try:
        data = json.loads(exc.response.text or "{}")
    except (AttributeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def issue_of(error) -> str:
    """The issue PayPal names in an error (an exception, or its body as stored)."""
    body = error if isinstance(error, dict) else error_body(error)
    details = (body or {}).get("details") or [{}]
    return (details[0] or {}).get("issue", "") if isinstance(details[0], dict) else ""


def unavailable(exc) -> ProviderError:
    logger.warning("PayPal: %s", exc)
    if getattr(exc, "response_code", None) == 401:
        # The shared token was revoked or the keys changed: the next call fetches another.
        cache.delete(token_cache_key())
    return ProviderError(
        _("The PayPal payment service is unavailable. Please try again in a few minutes.")
    )


class sdk_errors:
    """Turns the SDK's errors into a ProviderError with a message for the person."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, SDK_ERRORS):
            raise unavailable(exc) from exc
        return False

"""Online payment providers, named in settings.COMPTOIR_PAYMENT_PROVIDERS
(dotted paths to PaymentProvider subclasses): a new provider is a new class
there, not a change to the pay page."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    PaymentProvider,
    PaymentStep,
    ProviderError,
    ProviderPayment,
    ProviderWebhook,
    WebhookSignatureError,
)

__all__ = [
    "PaymentProvider",
    "PaymentStep",
    "ProviderError",
    "ProviderPayment",
    "ProviderWebhook",
    "WebhookSignatureError",
    "all_providers",
    "available_providers",
    "get_provider",
    "provider_configured",
]


def all_providers() -> list[PaymentProvider]:
    # Read when used, so override_settings works.
    return [import_string(path)() for path in settings.COMPTOIR_PAYMENT_PROVIDERS]


def available_providers() -> list[PaymentProvider]:
    return [provider for provider in all_providers() if provider.is_configured()]


def get_provider(code: str, *, configured: bool = True) -> PaymentProvider:
    """The provider named ``code``; LookupError when there is none (views answer 404)."""
    for provider in all_providers():
        if provider.code == code and (provider.is_configured() or not configured):
            return provider
    raise LookupError(code)


def provider_configured(method: str) -> bool:
    """Whether an online method ("card", "paypal") can be paid now: checkout and
    quote acceptance offer it only then, so no order ends on a dead pay page."""
    return any(provider.method == method for provider in available_providers())

"""Deploy checks for the payment providers' settings (`check --deploy`)."""

from django.conf import settings
from django.core import checks
from django.core.checks import Tags, register


@register(Tags.security, deploy=True)
def stripe_settings_check(app_configs, **kwargs):
    """Card payments half configured fail in front of a customer, or are
    never confirmed by webhook: say so at deploy time."""
    issues = []
    secret, public = settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY
    if bool(secret) != bool(public):
        issues.append(
            checks.Warning(
                "Only one of STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY is set.",
                hint="Set both to offer card payment, or neither.",
                id="billing.W101",
            )
        )
    if secret and not settings.STRIPE_WEBHOOK_SECRET:
        issues.append(
            checks.Warning(
                "STRIPE_WEBHOOK_SECRET is not set: every Stripe webhook will be refused.",
                hint="Add the endpoint /webhooks/stripe/ in Stripe and copy its signing secret.",
                id="billing.W102",
            )
        )
    if settings.STRIPE_API_BASE:
        issues.append(
            checks.Warning(
                "STRIPE_API_BASE sends card payments elsewhere than Stripe.",
                hint="It is for tests (localstripe); unset it in production.",
                id="billing.W103",
            )
        )
    return issues


@register(Tags.security, deploy=True)
def paypal_settings_check(app_configs, **kwargs):
    """PayPal half configured, unverifiable webhooks, test money or a fake
    API in production: say so at deploy time."""
    issues = []
    client_id, secret = settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET
    if bool(client_id) != bool(secret):
        issues.append(
            checks.Warning(
                "Only one of PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET is set.",
                hint="Set both to offer PayPal, or neither.",
                id="billing.W111",
            )
        )
    if client_id and not settings.PAYPAL_WEBHOOK_ID:
        issues.append(
            checks.Warning(
                "PAYPAL_WEBHOOK_ID is not set: every PayPal webhook will be refused.",
                hint="Add a webhook for /webhooks/paypal/ in the PayPal app and copy its id.",
                id="billing.W112",
            )
        )
    if settings.PAYPAL_API_BASE:
        issues.append(
            checks.Warning(
                "PAYPAL_API_BASE sends PayPal payments elsewhere than PayPal.",
                hint="It is for tests (the fake PayPal); unset it in production.",
                id="billing.W113",
            )
        )
    environment = settings.PAYPAL_ENVIRONMENT.strip().lower()
    if client_id and environment not in ("live", "production"):
        issues.append(
            checks.Warning(
                f"PAYPAL_ENVIRONMENT is {environment!r}: PayPal takes no real money.",
                hint="Set PAYPAL_ENVIRONMENT=live with the Live app's credentials.",
                id="billing.W114",
            )
        )
    return issues

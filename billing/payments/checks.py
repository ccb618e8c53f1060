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

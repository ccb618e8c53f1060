"""Deploy checks on the Stripe settings."""

from billing.payments.checks import stripe_settings_check


def ids(settings):
    return sorted(issue.id for issue in stripe_settings_check(None))


def test_nothing_set_is_fine(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_API_BASE = ""
    assert ids(settings) == []


def test_fully_configured_is_fine(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_live_x", "pk_live_x"
    settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_API_BASE = "whsec_x", ""
    assert ids(settings) == []


def test_half_configured_or_pointed_elsewhere_warns(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_live_x", ""
    settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_API_BASE = "", "http://127.0.0.1:8420"
    assert ids(settings) == ["billing.W101", "billing.W102", "billing.W103"]

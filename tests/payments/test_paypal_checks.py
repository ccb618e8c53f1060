"""Deploy checks on the PayPal settings."""

from billing.payments.checks import paypal_settings_check


def ids():
    return sorted(issue.id for issue in paypal_settings_check(None))


def test_nothing_set_is_fine(settings):
    settings.PAYPAL_CLIENT_ID = settings.PAYPAL_CLIENT_SECRET = settings.PAYPAL_API_BASE = ""
    assert ids() == []


def test_fully_configured_live_is_fine(settings):
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = "live-id", "live-secret"
    settings.PAYPAL_WEBHOOK_ID, settings.PAYPAL_API_BASE = "8PT597110X687430LKGECATA", ""
    settings.PAYPAL_ENVIRONMENT = "live"
    assert ids() == []


def test_half_configured_sandbox_or_pointed_elsewhere_warns(settings):
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = "sandbox-id", ""
    settings.PAYPAL_WEBHOOK_ID, settings.PAYPAL_API_BASE = "", "http://127.0.0.1:8421"
    settings.PAYPAL_ENVIRONMENT = "sandbox"
    assert ids() == ["billing.W111", "billing.W112", "billing.W113", "billing.W114"]

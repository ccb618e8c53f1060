"""One selector says which payment methods the shop offers at all
(billing.payments.methods.payment_methods_on_offer); the footer and the legal pages
read it, so a provider without keys is mentioned nowhere."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from billing.payments.methods import payment_methods_available, payment_methods_on_offer

pytestmark = pytest.mark.django_db


def configure(settings, *, card: bool, paypal: bool) -> None:
    settings.STRIPE_SECRET_KEY = "sk_test_x" if card else ""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x" if card else ""
    settings.PAYPAL_CLIENT_ID = "client" if paypal else ""
    settings.PAYPAL_CLIENT_SECRET = "secret" if paypal else ""


@pytest.mark.parametrize(("card", "paypal"), [(True, False), (False, True), (True, True)])
def test_on_offer_is_what_the_checkout_can_offer_anyone(settings, card, paypal):
    configure(settings, card=card, paypal=paypal)
    offered = payment_methods_on_offer()
    assert ("card" in offered, "paypal" in offered) == (card, paypal)
    assert {"transfer", "cheque", "counter", "mandate"} <= set(offered)
    assert set(payment_methods_available(user=None, entity=None)) <= set(offered)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_footer_and_legal_pages_name_only_configured_providers(settings, lang):
    """Given Stripe configured and PayPal not, the home page's footer, the
    terms and the privacy page never name PayPal; with PayPal, they do."""
    client = Client()

    def pages():
        with translation.override(lang):
            urls = [reverse("home")] + [
                reverse("page", args=[slug]) for slug in ("terms", "privacy")
            ]
        return [client.get(url).content.decode() for url in urls]

    configure(settings, card=True, paypal=False)
    for html in pages():
        assert "PayPal" not in html
    assert "Stripe" in pages()[2]

    configure(settings, card=False, paypal=True)
    for html in pages():
        assert "PayPal" in html
    assert "Stripe" not in pages()[2]

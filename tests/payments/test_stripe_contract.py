"""Stripe keeps the provider contract (tests/payments/provider_contract.py)."""

import pytest

from billing.payments.providers.stripe import StripeProvider

from .provider_contract import ProviderContract, contract_order  # noqa: F401 (fixture)


class StripeDriver:
    def __init__(self, localstripe):
        self.localstripe = localstripe
        self.provider = StripeProvider()

    def pay(self, payment):
        self.localstripe.confirm(payment.provider_id)

    def return_params(self, payment):
        return {"payment_intent": payment.provider_id}

    def webhook(self, payment, event_id):
        event = self.localstripe.event("payment_intent.succeeded", payment.provider_id, event_id)
        body, signature = self.localstripe.signed(event)
        return body, {"HTTP_STRIPE_SIGNATURE": signature}

    def forge(self, body, headers):
        return body, {"HTTP_STRIPE_SIGNATURE": headers["HTTP_STRIPE_SIGNATURE"][:-2] + "00"}


@pytest.fixture
def driver(stripe_env):
    return StripeDriver(stripe_env)


class TestStripe(ProviderContract):
    pass

"""PayPal keeps the provider contract (tests/payments/provider_contract.py)."""

# The fake's fixtures are imported here, so pytest sees them as parameters' names.
# ruff: noqa: F811

import pytest

from billing.payments.providers.paypal import PayPalProvider
from tests.fakes.paypal import _paypal_server, fake_paypal  # noqa: F401

from .provider_contract import ProviderContract, contract_order  # noqa: F401 (fixture)


class PayPalDriver:
    def __init__(self, fake):
        self.fake = fake
        self.provider = PayPalProvider()

    def pay(self, payment):
        self.fake.approve(payment.provider_id)

    def return_params(self, payment):
        return self.fake.return_query(payment.provider_id)

    def webhook(self, payment, event_id):
        # PayPal's "payment succeeded" is the capture's: captured at PayPal
        # once (the customer's return never came), then the same event.
        if self.fake.orders[payment.provider_id]["status"] != "COMPLETED":
            self.fake.capture_in_background(payment.provider_id)
        event = {**self.fake.capture_event(payment.provider_id), "id": event_id}
        return self.fake.signed_event(event)

    def forge(self, body, headers):
        return body, {**headers, "HTTP_PAYPAL_TRANSMISSION_SIG": "Zm9yZ2Vk"}


@pytest.fixture
def driver(fake_paypal):
    return PayPalDriver(fake_paypal)


class TestPayPal(ProviderContract):
    pass

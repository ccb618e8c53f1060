"""What every online provider must do, as one test class.

A provider's test module subclasses ``ProviderContract`` and defines the
``driver`` fixture: an object with

- ``provider``: the PaymentProvider instance under test (configured);
- ``pay(payment)``: the customer pays the open provider payment at the
  provider (Stripe: confirm the intent; PayPal: approve the order);
- ``return_params(payment)``: the query the provider sends the customer
  back with;
- ``webhook(payment, event_id)``: ``(body, headers)`` of a valid "payment
  succeeded" event (headers as test-client keyword arguments);
- ``forge(body, headers)``: the same with a signature that must fail.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Payment, ProviderEvent
from billing.payments import services
from orders.services import transitions as t
from tests.factories import make_order, make_product

D = Decimal


@pytest.fixture
def contract_order(django_user_model):
    customer = django_user_model.objects.create_user("payer", "payer@example.com", "pw")
    order = make_order(lines=[(make_product(price="10.00"), 3)], user=customer, payment_method="")
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    return order


@pytest.mark.django_db
class ProviderContract:
    def start(self, driver, order):
        return services.payment_start(order_id=order.pk, provider=driver.provider)

    def return_to_shop(self, client, driver, order, payment):
        client.force_login(order.user)
        url = reverse(
            "billing:pay-return", kwargs={"number": order.number, "provider": driver.provider.code}
        )
        return client.get(url, driver.return_params(payment))

    def test_one_provider_payment_per_order_and_amount(self, driver, contract_order):
        first = self.start(driver, contract_order).payment
        again = self.start(driver, contract_order).payment
        assert first.pk == again.pk and first.amount == D("36.00")
        assert first.method == driver.provider.method
        assert Payment.objects.filter(order=contract_order).count() == 1

    def test_the_pay_page_starts_the_provider_step(self, driver, contract_order, client):
        client.force_login(contract_order.user)
        url = reverse(
            "billing:pay-with",
            kwargs={"number": contract_order.number, "provider": driver.provider.code},
        )
        response = client.get(url)
        assert response.status_code in (200, 302)
        assert Payment.objects.get(order=contract_order).status == "pending"

    def test_paying_and_coming_back_records_once(
        self, driver, contract_order, client, paid_signals
    ):
        payment = self.start(driver, contract_order).payment
        driver.pay(payment)
        for _ in range(2):
            self.return_to_shop(client, driver, contract_order, payment)
        payment.refresh_from_db()
        contract_order.refresh_from_db()
        assert payment.status == "succeeded" and contract_order.is_paid
        assert paid_signals == [(contract_order.number, payment.pk)]

    def test_the_same_webhook_three_times_records_one_payment(
        self, driver, contract_order, client, paid_signals
    ):
        payment = self.start(driver, contract_order).payment
        driver.pay(payment)
        url = reverse(f"webhooks:{driver.provider.code}")
        for _ in range(3):
            body, headers = driver.webhook(payment, "evt-contract-1")
            response = client.post(url, data=body, content_type="application/json", **headers)
            assert response.status_code == 200
        payment.refresh_from_db()
        assert payment.status == "succeeded" and len(paid_signals) == 1
        assert ProviderEvent.objects.filter(provider=driver.provider.code).count() == 1

    def test_a_forged_webhook_is_refused(self, driver, contract_order, client):
        payment = self.start(driver, contract_order).payment
        driver.pay(payment)
        body, headers = driver.forge(*driver.webhook(payment, "evt-forged"))
        url = reverse(f"webhooks:{driver.provider.code}")
        response = client.post(url, data=body, content_type="application/json", **headers)
        assert response.status_code == 400
        payment.refresh_from_db()
        assert payment.status == "pending" and not ProviderEvent.objects.exists()

    def test_a_refund_goes_through_the_provider(self, driver, contract_order, client):
        payment = self.start(driver, contract_order).payment
        driver.pay(payment)
        self.return_to_shop(client, driver, contract_order, payment)
        refund = services.refund_payment(payment_id=payment.pk, amount=D("6.00"))
        assert refund.provider_id and refund.provider_id != payment.provider_id
        assert (refund.kind, refund.status, refund.amount) == ("refund", "succeeded", D("6.00"))
        assert services.refundable(payment) == D("30.00")

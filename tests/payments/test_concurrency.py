"""Races between database connections, on PostgreSQL as on SQLite: the
order lock makes concurrent submits open one PaymentIntent, and a webhook
racing the customer's return record one payment."""

from decimal import Decimal

import pytest

from billing.models import Payment, ProviderEvent
from billing.payments import services
from billing.payments.providers import ProviderWebhook
from billing.payments.providers.stripe import StripeProvider
from orders.services import transitions as t
from tests.concurrency import run_together
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order():
    order = make_order(lines=[(make_product(price="10.00"), 1)], payment_method="card")
    t.order_reserve(order_id=order.pk)
    return order


def test_five_submits_at_once_open_one_intent(stripe_env, order):
    run_together([lambda: services.payment_start(order_id=order.pk, provider=StripeProvider())] * 5)
    assert Payment.objects.filter(order=order).count() == 1
    assert len(stripe_env.client.v1.payment_intents.list().data) == 1


def test_webhooks_and_returns_at_once_record_one_payment(stripe_env, order, paid_signals):
    provider = StripeProvider()
    payment = services.payment_start(order_id=order.pk, provider=provider).payment
    stripe_env.confirm(payment.provider_id)
    reported = provider.fetch_payment(provider_id=payment.provider_id)
    webhook = ProviderWebhook(
        event_id="evt_race", type="payment_intent.succeeded", raw={}, payment=reported
    )

    run_together(
        [lambda: services.webhook_receive(provider="stripe", webhook=webhook)] * 3
        + [lambda: services.payment_apply(provider="stripe", reported=reported)] * 3
    )
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "succeeded" and payment.amount == Decimal("12.00")
    assert order.is_paid and len(paid_signals) == 1
    assert ProviderEvent.objects.count() == 1

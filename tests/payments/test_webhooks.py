"""Stripe webhooks: verified on the raw body, applied exactly once whatever
the order and however often they come."""

import json
from decimal import Decimal

import pytest
import stripe
from django.urls import reverse

from billing.models import Payment, ProviderEvent
from billing.payments import services
from billing.payments.providers.stripe import StripeProvider
from orders.services import transitions as t
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db
URL = "/webhooks/stripe/"


@pytest.fixture
def started(stripe_env):
    """A reserved card order of 12.00 with its PaymentIntent opened."""
    order = make_order(lines=[(make_product(price="10.00"), 1)], payment_method="card")
    t.order_reserve(order_id=order.pk)
    services.payment_start(order_id=order.pk, provider=StripeProvider())
    return Payment.objects.get(order=order)


def post(client, body, signature):
    return client.post(
        URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def test_the_url_has_no_language_prefix_and_no_csrf():
    assert reverse("webhooks:stripe") == URL


def test_wrong_signature_is_refused_and_changes_nothing(stripe_env, started, client):
    stripe_env.confirm(started.provider_id)
    event = stripe_env.event("payment_intent.succeeded", started.provider_id, "evt_1")

    body, _sig = stripe_env.signed(event)
    _body, wrong_secret = stripe_env.signed(event, secret="whsec_someone_else")
    tampered, good_sig = body.replace('"amount": 1200', '"amount": 1'), stripe_env.signed(event)[1]
    stale_body, stale = stripe_env.signed(event, timestamp=1_000_000_000)
    for payload, signature in [
        (body, wrong_secret),
        (tampered, good_sig),
        (stale_body, stale),
        (body, ""),
    ]:
        assert post(client, payload, signature).status_code == 400
    started.refresh_from_db()
    assert started.status == "pending" and not ProviderEvent.objects.exists()
    assert not started.order.is_paid


def test_unconfigured_secret_refuses_every_webhook(stripe_env, started, client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, signature = stripe_env.signed({"id": "evt_x", "type": "ping", "object": "event"})
    assert post(client, body, signature).status_code == 400


def test_same_event_three_times_records_one_payment(stripe_env, started, client, paid_signals):
    stripe_env.confirm(started.provider_id)
    event = stripe_env.event("payment_intent.succeeded", started.provider_id, "evt_ok")
    for _ in range(3):
        body, signature = stripe_env.signed(event)  # Stripe re-signs each delivery
        assert post(client, body, signature).status_code == 200

    started.refresh_from_db()
    started.order.refresh_from_db()
    assert started.status == "succeeded" and started.order.is_paid
    stored = ProviderEvent.objects.get()
    assert stored.payment == started and stored.type == "payment_intent.succeeded"
    assert "client_secret" not in stored.payload["data"]["object"]
    assert "client_secret" in event["data"]["object"]  # what Stripe sent had it
    assert Payment.objects.filter(order=started.order).count() == 1
    assert len(paid_signals) == 1

    # The customer's return afterwards finds it done.
    services.payment_apply(
        provider="stripe", reported=StripeProvider().fetch_payment(provider_id=started.provider_id)
    )
    assert len(paid_signals) == 1


def test_events_out_of_order_record_one_payment(stripe_env, started, client, paid_signals):
    """A failed attempt's event arriving after the success changes nothing;
    a success after a failure is recorded."""
    intents = stripe_env.client.v1.payment_intents
    failed_event = {
        "id": "evt_failed",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "created": 1,
        "data": {
            "object": {
                **intents.retrieve(started.provider_id).to_dict(),
                "status": "requires_payment_method",
                "last_payment_error": {"code": "card_declined", "message": "declined"},
            }
        },
    }
    stripe_env.confirm(started.provider_id)
    succeeded = stripe_env.event("payment_intent.succeeded", started.provider_id, "evt_ok")

    for event in (succeeded, failed_event, succeeded):
        assert post(client, *stripe_env.signed(event)).status_code == 200
    started.refresh_from_db()
    assert started.status == "succeeded"
    assert ProviderEvent.objects.count() == 2 and len(paid_signals) == 1

    # The other way round, on another order: failure first, then success.
    other = make_order(lines=[(make_product(price="10.00"), 1)], payment_method="card")
    t.order_reserve(order_id=other.pk)
    services.payment_start(order_id=other.pk, provider=StripeProvider())
    row = Payment.objects.get(order=other)
    failed_event["id"] = "evt_failed_2"
    failed_event["data"]["object"]["id"] = row.provider_id
    post(client, *stripe_env.signed(failed_event))
    row.refresh_from_db()
    assert row.status == "failed"
    stripe_env.confirm(row.provider_id)
    post(
        client,
        *stripe_env.signed(
            stripe_env.event("payment_intent.succeeded", row.provider_id, "evt_ok_2")
        ),
    )
    row.refresh_from_db()
    assert row.status == "succeeded" and len(paid_signals) == 2


def test_an_event_for_an_unknown_intent_is_acknowledged_and_ignored(stripe_env, client):
    intent = stripe_env.client.v1.payment_intents.create(
        params={"amount": 500, "currency": "eur", "payment_method_types": ["card"]}
    )
    event = stripe_env.event("payment_intent.succeeded", intent.id, "evt_foreign")
    assert post(client, *stripe_env.signed(event)).status_code == 200
    assert ProviderEvent.objects.get().payment is None
    assert not Payment.objects.exists()


def test_a_webhook_with_another_amount_flags_the_payment(stripe_env, started, client):
    stripe_env.client.v1.payment_intents.update(started.provider_id, params={"amount": 100})
    stripe_env.confirm(started.provider_id)
    event = stripe_env.event("payment_intent.succeeded", started.provider_id, "evt_small")
    post(client, *stripe_env.signed(event))
    started.refresh_from_db()
    assert started.flag == Payment.Flag.AMOUNT_MISMATCH and started.status == "pending"
    assert started.amount == Decimal("1.00")
    assert not started.order.is_paid


def test_construct_event_accepts_what_the_fixture_signs(stripe_env):
    """The fixture signs as Stripe does (so the tests above test the real check)."""
    body, signature = stripe_env.signed({"id": "evt_1", "object": "event", "type": "x"})
    event = stripe.Webhook.construct_event(body, signature, "whsec_test_comptoir")
    assert event.id == "evt_1" and json.loads(body)["type"] == "x"

"""PayPal webhooks: verified by PayPal (verify-webhook-signature), applied
exactly once whatever the order and however often they come."""

# The fake's fixtures are imported here, so pytest sees them as parameters' names.
# ruff: noqa: F811

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment, ProviderEvent
from billing.payments import services
from billing.payments.providers.paypal import PayPalProvider
from billing.payments.selectors import order_balance
from orders.services import transitions as t
from tests.factories import make_order, make_product
from tests.fakes.paypal import _paypal_server, fake_paypal  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/webhooks/paypal/"
D = Decimal


@pytest.fixture
def started(fake_paypal):
    """A reserved PayPal order of 12.00 with its PayPal order opened."""
    order = make_order(lines=[(make_product(price="10.00"), 1)], payment_method="paypal")
    t.order_reserve(order_id=order.pk)
    services.payment_start(order_id=order.pk, provider=PayPalProvider())
    return Payment.objects.get(order=order)


def post(client, body, headers):
    return client.post(URL, data=body, content_type="application/json", **headers)


def deliver(client, fake, event, *, valid=True):
    body, headers = fake.signed_event(event, valid=valid)
    return post(client, body, headers)


def paid_at_paypal(fake, payment):
    """The buyer approved and PayPal captured (our return never came)."""
    fake.approve(payment.provider_id)
    fake.capture_in_background(payment.provider_id)


def test_the_url_has_no_language_prefix():
    assert reverse("webhooks:paypal") == URL


def test_wrong_signature_is_refused_and_changes_nothing(fake_paypal, started, client):
    """Not signed by PayPal, a changed body, a missing header, another
    webhook id: 400 each time, no event stored, nothing paid."""
    paid_at_paypal(fake_paypal, started)
    event = fake_paypal.capture_event(started.provider_id)
    body, headers = fake_paypal.signed_event(event)
    tampered = body.replace(b'"12.00"', b'"0.01"')
    no_sig = {k: v for k, v in headers.items() if k != "HTTP_PAYPAL_TRANSMISSION_SIG"}
    for payload, sent in [
        (
            fake_paypal.signed_event(event, valid=False)[0],
            headers | {"HTTP_PAYPAL_TRANSMISSION_SIG": "forged"},
        ),
        (tampered, headers),
        (body, no_sig),
        (b"not json", headers),
    ]:
        assert post(client, payload, sent).status_code == 400

    started.refresh_from_db()
    assert started.status == "pending" and not ProviderEvent.objects.exists()
    assert not started.order.is_paid


def test_another_webhook_id_is_refused(fake_paypal, started, client, settings):
    settings.PAYPAL_WEBHOOK_ID = "SOMEONE-ELSES-WEBHOOK"
    paid_at_paypal(fake_paypal, started)
    assert (
        deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id)).status_code
        == 400
    )
    settings.PAYPAL_WEBHOOK_ID = ""
    assert (
        deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id)).status_code
        == 400
    )
    assert not ProviderEvent.objects.exists()


def test_the_raw_body_is_what_paypal_verifies(fake_paypal, started):
    """PayPal verifies the event as it sent it: we pass the body through
    untouched, not parsed and re-serialised."""
    paid_at_paypal(fake_paypal, started)
    event = fake_paypal.capture_event(started.provider_id)
    body = json.dumps(event, indent=3, ensure_ascii=False).encode()
    _body, headers = fake_paypal.signed_event(event)
    meta = {k[5:].replace("_", "-"): v for k, v in headers.items()}
    PayPalProvider().parse_webhook(body=body, headers=meta)
    (sent,) = fake_paypal.verify_requests
    assert body in sent


def test_same_event_three_times_records_one_payment(fake_paypal, started, client, paid_signals):
    paid_at_paypal(fake_paypal, started)
    event = fake_paypal.capture_event(started.provider_id)
    for _ in range(3):
        assert deliver(client, fake_paypal, event).status_code == 200  # re-signed each time

    started.refresh_from_db()
    started.order.refresh_from_db()
    assert started.status == "succeeded" and started.order.is_paid
    assert ProviderEvent.objects.get().payment == started
    assert Payment.objects.filter(order=started.order).count() == 1
    assert len(paid_signals) == 1


def test_events_out_of_order_record_one_payment(fake_paypal, started, client, paid_signals):
    """A denial arriving after the completion changes nothing; the
    completion after a denial records the payment, once."""
    paid_at_paypal(fake_paypal, started)
    completed = fake_paypal.capture_event(started.provider_id)
    denied = fake_paypal.capture_event(started.provider_id, "PAYMENT.CAPTURE.DENIED")
    declined = fake_paypal.capture_event(started.provider_id, "PAYMENT.CAPTURE.DECLINED")

    assert deliver(client, fake_paypal, denied).status_code == 200
    started.refresh_from_db()
    assert started.status == "failed" and not started.order.is_paid

    for event in (completed, declined, completed):
        assert deliver(client, fake_paypal, event).status_code == 200
    started.refresh_from_db()
    started.order.refresh_from_db()
    assert started.status == "succeeded" and started.order.is_paid
    assert ProviderEvent.objects.count() == 3 and len(paid_signals) == 1


def test_a_capture_of_another_amount_is_flagged(fake_paypal, started, client, paid_signals):
    fake_paypal.approve(started.provider_id)
    fake_paypal.capture_in_background(started.provider_id, value="1.00")
    deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id))
    started.refresh_from_db()
    assert started.flag == Payment.Flag.AMOUNT_MISMATCH and started.amount == D("1.00")
    assert not started.order.is_paid and paid_signals == []


def test_approval_webhook_captures_when_the_customer_never_comes_back(
    fake_paypal, started, client, paid_signals
):
    """CHECKOUT.ORDER.APPROVED: the buyer pressed "Pay now" and closed the tab;
    we capture, the order is paid; the capture webhook and a late return
    then change nothing."""
    fake_paypal.approve(started.provider_id)
    approved = fake_paypal.approved_event(started.provider_id)
    for _ in range(2):
        assert deliver(client, fake_paypal, approved).status_code == 200

    started.refresh_from_db()
    assert started.status == "succeeded" and started.order.is_paid
    assert len(fake_paypal.captures) == 1 and len(paid_signals) == 1

    deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id))
    assert PayPalProvider().finalise(payment=started).status == "succeeded"
    assert len(fake_paypal.captures) == 1 and len(paid_signals) == 1
    assert Payment.objects.filter(order=started.order).count() == 1


def test_approval_webhook_for_an_abandoned_paypal_order_takes_nothing(fake_paypal, started, client):
    """The order was cancelled meanwhile: the approval is not captured."""
    fake_paypal.approve(started.provider_id)
    t.order_cancel(order_id=started.order_id, note="customer asked")
    assert (
        deliver(client, fake_paypal, fake_paypal.approved_event(started.provider_id)).status_code
        == 200
    )
    started.refresh_from_db()
    assert not fake_paypal.captures and started.status == "cancelled"


def test_an_event_for_an_unknown_paypal_order_is_acknowledged_and_ignored(fake_paypal, client):
    """A capture made elsewhere on the same PayPal account: 200, stored, no payment."""
    fake_paypal.orders["ELSEWHERE0000001"] = {
        "id": "ELSEWHERE0000001",
        "intent": "CAPTURE",
        "status": "APPROVED",
        "purchase_units": [{"amount": {"currency_code": "EUR", "value": "3.60"}}],
    }
    fake_paypal.capture_in_background("ELSEWHERE0000001")
    event = fake_paypal.capture_event("ELSEWHERE0000001")
    assert deliver(client, fake_paypal, event).status_code == 200
    assert ProviderEvent.objects.get().payment is None
    assert not Payment.objects.exists()


def test_refund_webhook_after_our_refund_adds_nothing(fake_paypal, started, client):
    paid_at_paypal(fake_paypal, started)
    deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id))
    refund = services.refund_payment(payment_id=started.pk, amount=D("5.00"))

    for _ in range(2):
        assert (
            deliver(client, fake_paypal, fake_paypal.refunded_event(refund.provider_id)).status_code
            == 200
        )
    assert list(Payment.objects.filter(kind="refund")) == [refund]
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.amount == D("5.00")


def test_refund_made_in_paypals_dashboard_is_recorded_once(fake_paypal, started, client):
    """The merchant refunded 4.00 at PayPal: the webhook records a refund row
    of our payment, once, however often it comes."""
    paid_at_paypal(fake_paypal, started)
    deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id))
    (capture_id,) = fake_paypal.captures
    refund_id = fake_paypal.refund_in_background(capture_id, "4.00")

    event = fake_paypal.refunded_event(refund_id)
    for _ in range(3):
        assert deliver(client, fake_paypal, event).status_code == 200
    refund = Payment.objects.get(kind="refund")
    assert (refund.provider_id, refund.amount, refund.status, refund.refund_of) == (
        refund_id,
        D("4.00"),
        "succeeded",
        started,
    )
    assert ProviderEvent.objects.get(event_id=event["id"]).payment == refund
    assert order_balance(started.order) == D("4.00")


def test_a_pending_refund_completes_with_its_webhook(fake_paypal, started, client):
    paid_at_paypal(fake_paypal, started)
    deliver(client, fake_paypal, fake_paypal.capture_event(started.provider_id))
    started.refresh_from_db()
    fake_paypal.refund_status = "PENDING"
    refund = services.refund_payment(payment_id=started.pk, amount=D("12.00"))
    assert refund.status == "pending" and order_balance(started.order) == D("0.00")

    fake_paypal.refunds[refund.provider_id]["status"] = "COMPLETED"
    deliver(client, fake_paypal, fake_paypal.refunded_event(refund.provider_id))
    refund.refresh_from_db()
    assert refund.status == "succeeded" and order_balance(started.order) == D("12.00")
    assert Payment.objects.filter(kind="refund").count() == 1


def test_the_beat_job_catches_up_on_lost_webhooks(fake_paypal, started, paid_signals):
    """Captured at PayPal but every webhook lost: the reconcile job records
    it; a PayPal order that expired unpaid is closed on our side."""
    other = make_order(lines=[(make_product(price="2.00"), 1)], payment_method="paypal")
    t.order_reserve(order_id=other.pk)
    services.payment_start(order_id=other.pk, provider=PayPalProvider())
    expired = Payment.objects.get(order=other)
    del fake_paypal.orders[expired.provider_id]
    paid_at_paypal(fake_paypal, started)
    Payment.objects.update(created_at=timezone.now() - timedelta(minutes=30))

    assert services.payments_reconcile_pending() == 2
    started.refresh_from_db()
    expired.refresh_from_db()
    assert started.status == "succeeded" and started.order.is_paid and len(paid_signals) == 1
    assert expired.status == "cancelled"
    assert services.payments_reconcile_pending() == 0

"""Card payments through Stripe, against localstripe on 127.0.0.1: the pay
page opens one PaymentIntent, the browser confirms it (here the SDK does
what Stripe.js would), the return view finalises it."""

from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from billing.models import Payment
from billing.payments import services
from billing.payments.exceptions import PaymentError
from billing.payments.selectors import order_balance
from core.outbox.services import messages_send_due
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db
S = OrderStatus
D = Decimal


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", "pw")


@pytest.fixture
def card_order(customer):
    """A card order of 2 × 12.00 incl. VAT, reserved and waiting for its money."""
    order = make_order(lines=[(make_product(price="10.00"), 2)], user=customer)
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.total_incl_tax) == (S.RESERVED, D("24.00"))
    return order


@pytest.fixture
def shopper(client, customer):
    client.force_login(customer)
    return client


def open_card_form(client, order):
    """The customer follows the pay-now link: straight to the card form."""
    response = client.get(reverse("billing:pay", kwargs={"number": order.number}), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/orders/{order.number}/pay/stripe/")
    return response


def come_back(client, order, intent_id):
    url = reverse("billing:pay-return", kwargs={"number": order.number, "provider": "stripe"})
    return client.get(url, {"payment_intent": intent_id}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_card_payment_end_to_end(stripe_env, shopper, card_order, paid_signals):
    """Given a reserved card order, when the customer pays 24.00 by card and
    comes back, the payment is recorded and the order goes on, once."""
    page = open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    html = page.content.decode()
    assert payment.provider_id.startswith("pi_") and payment.status == "pending"
    assert stripe_env.intent(payment.provider_id).client_secret in html
    assert "pk_test_comptoir" in html and "https://js.stripe.com/v3/" in html
    assert stripe_env.intent(payment.provider_id).amount == 2400
    assert "client_secret" not in payment.raw_event  # never stored

    assert stripe_env.confirm(payment.provider_id).status == "succeeded"
    back = come_back(shopper, card_order, payment.provider_id)

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == "succeeded" and payment.amount == D("24.00")
    assert card_order.is_paid and card_order.status == S.PICKING
    assert paid_signals == [(card_order.number, payment.pk)]
    assert any("payment of €24.00 is received" in m for m in messages_of(back))

    # Coming back again (reload) changes nothing.
    come_back(shopper, card_order, payment.provider_id)
    assert Payment.objects.filter(order=card_order).count() == 1
    assert len(paid_signals) == 1


def test_reload_and_double_submit_make_one_intent_and_one_charge(
    stripe_env, shopper, card_order, paid_signals
):
    """The card form opened three times reuses one PaymentIntent; confirming
    it a second time (another tab) is refused by Stripe: one charge."""
    for _ in range(3):
        open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    assert len(stripe_env.client.v1.payment_intents.list().data) == 1

    stripe_env.confirm(payment.provider_id)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_env.client.v1.payment_intents.confirm(payment.provider_id)
    come_back(shopper, card_order, payment.provider_id)
    come_back(shopper, card_order, payment.provider_id)
    assert len(stripe_env.client.v1.charges.list().data) == 1
    assert Payment.objects.filter(order=card_order, status="succeeded").count() == 1
    assert len(paid_signals) == 1

    # Paid: the pay page no longer opens a payment.
    page = shopper.get(reverse("billing:pay", kwargs={"number": card_order.number}))
    assert page.status_code == 200 and "This order is paid" in page.content.decode()


def test_declined_card_keeps_the_order_unpaid_with_a_clear_message(
    stripe_env, shopper, card_order, paid_signals
):
    """A declined card: a clear message, back on the card form, the order
    kept and unpaid."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    with pytest.raises(stripe.CardError):
        stripe_env.confirm(payment.provider_id, "pm_card_chargeCustomerFail")

    back = come_back(shopper, card_order, payment.provider_id)
    assert back.redirect_chain[-1][0].endswith("/pay/stripe/")
    assert "card was declined" in back.content.decode()  # shown on the form again
    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == "failed" and not card_order.is_paid
    assert card_order.status == S.RESERVED and paid_signals == []

    # The form shown again keeps the same intent for the next card (Stripe
    # takes a new payment method on it; localstripe cannot, so no retry here).
    assert Payment.objects.filter(order=card_order).count() == 1
    assert len(stripe_env.client.v1.payment_intents.list().data) == 1


def test_amount_at_the_provider_differs_not_paid_and_staff_alerted(
    stripe_env, shopper, card_order, manager, paid_signals
):
    """The intent was changed to 10.00 at the provider: the order is not
    marked paid, the payment is flagged, the manager gets an email."""
    card_order.manager = manager
    card_order.save(update_fields=["manager"])
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    stripe_env.client.v1.payment_intents.update(payment.provider_id, params={"amount": 1000})
    stripe_env.confirm(payment.provider_id)

    back = come_back(shopper, card_order, payment.provider_id)
    assert any("differs" in m for m in messages_of(back))
    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert not card_order.is_paid and paid_signals == []
    assert (payment.status, payment.flag, payment.amount) == (
        "pending",
        Payment.Flag.AMOUNT_MISMATCH,
        D("10.00"),
    )
    assert order_balance(card_order) == D("24.00")
    messages_send_due()
    with translation.override(settings.LANGUAGE_CODE):
        flag = str(Payment.Flag.AMOUNT_MISMATCH.label)
    assert [m.to for m in mail.outbox if flag in m.subject] == [[manager.email]]


def test_order_changed_after_the_intent_was_opened_is_not_marked_paid(
    stripe_env, shopper, card_order, paid_signals
):
    """The customer paid an old amount (the order grew in another tab)."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    type(card_order).objects.filter(pk=card_order.pk).update(total_incl_tax=D("36.00"))
    stripe_env.confirm(payment.provider_id)
    come_back(shopper, card_order, payment.provider_id)
    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.flag == Payment.Flag.AMOUNT_MISMATCH and not card_order.is_paid


def test_a_new_amount_opens_a_new_intent_and_cancels_the_old(stripe_env, shopper, card_order):
    open_card_form(shopper, card_order)
    first = Payment.objects.get(order=card_order)
    services.record_payment(order_id=card_order.pk, amount=D("4"), method="cheque")
    open_card_form(shopper, card_order)
    first.refresh_from_db()
    second = Payment.objects.get(order=card_order, provider="stripe", status="pending")
    assert first.status == "cancelled"
    assert stripe_env.intent(first.provider_id).status == "canceled"
    assert stripe_env.intent(second.provider_id).amount == 2000


def test_card_payment_on_a_cancelled_order_is_kept_for_refund(
    stripe_env, shopper, card_order, django_user_model, paid_signals
):
    """The order was cancelled while the card form was open in a tab: the
    money is recorded and flagged, the order stays cancelled; staff refund
    it through Stripe."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    t.order_cancel(order_id=card_order.pk, note="out of stock")
    stripe_env.confirm(payment.provider_id)
    come_back(shopper, card_order, payment.provider_id)

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert card_order.status == S.CANCELLED and not card_order.is_paid
    assert (payment.status, payment.flag) == ("succeeded", Payment.Flag.REFUND_DUE)
    assert paid_signals == []

    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("chef", "c@example.com", "pw"))
    staff.post(reverse("admin:billing_payment_refund", args=[payment.pk]), {"amount": "24.00"})
    refund = Payment.objects.get(kind="refund")
    assert refund.provider_id.startswith("re_") and refund.status == "succeeded"
    payment.refresh_from_db()
    assert payment.flag == ""
    refunds = stripe_env.client.v1.refunds.list().data
    assert [(r.id, r.amount) for r in refunds] == [(refund.provider_id, 2400)]


def test_stripe_unreachable_is_a_clear_message(stripe_env, shopper, card_order, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    response = shopper.get(
        reverse("billing:pay-with", kwargs={"number": card_order.number, "provider": "stripe"}),
        follow=True,
    )
    assert any("unavailable" in m for m in messages_of(response))
    assert not Payment.objects.exists()


def test_a_lost_return_and_webhook_are_caught_up_by_the_beat_job(
    stripe_env, shopper, card_order, paid_signals
):
    """The customer paid and closed the tab; no webhook came. The job asks
    Stripe about payments pending for 15 minutes, once."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    stripe_env.confirm(payment.provider_id)
    assert services.payments_reconcile_pending() == 0  # too recent to ask
    Payment.objects.filter(pk=payment.pk).update(
        created_at=payment.created_at - timedelta(minutes=20)
    )
    assert services.payments_reconcile_pending() == 1
    assert services.payments_reconcile_pending() == 0
    payment.refresh_from_db()
    assert payment.status == "succeeded" and len(paid_signals) == 1


def test_staff_accept_an_amount_that_differed(stripe_env, shopper, card_order, paid_signals):
    """After checking, staff accept the 10.00 taken: it counts, 14.00 is still due."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    stripe_env.client.v1.payment_intents.update(payment.provider_id, params={"amount": 1000})
    stripe_env.confirm(payment.provider_id)
    come_back(shopper, card_order, payment.provider_id)

    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("chef", "c@example.com", "pw"))
    change = staff.get(reverse("admin:billing_payment_change", args=[payment.pk]))
    accept_url = reverse("admin:billing_payment_accept", args=[payment.pk])
    assert accept_url in change.content.decode()
    staff.post(accept_url)

    payment.refresh_from_db()
    assert (payment.status, payment.flag, payment.amount) == ("succeeded", "", D("10.00"))
    assert order_balance(card_order) == D("14.00") and paid_signals == []
    with pytest.raises(PaymentError):
        services.payment_accept(payment_id=payment.pk, by=None)


def test_opening_the_card_form_after_paying_elsewhere_records_it(
    stripe_env, shopper, card_order, paid_signals
):
    """Paid in one tab, the card form opened in another: recorded, thanked, not charged again."""
    open_card_form(shopper, card_order)
    payment = Payment.objects.get(order=card_order)
    stripe_env.confirm(payment.provider_id)
    url = reverse("billing:pay-with", kwargs={"number": card_order.number, "provider": "stripe"})
    response = shopper.get(url, follow=True)
    assert any("is received" in m for m in messages_of(response))
    payment.refresh_from_db()
    assert payment.status == "succeeded" and len(paid_signals) == 1
    assert len(stripe_env.client.v1.payment_intents.list().data) == 1

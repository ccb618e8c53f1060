"""PayPal through the pay page and the return view, against the fake PayPal
on 127.0.0.1: the pay page opens one PayPal order and sends the customer to
approve it, the return view captures it, once."""

# The fake's fixtures are imported here, so pytest sees them as parameters' names.
# ruff: noqa: F811

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from billing.models import Payment
from billing.payments import services
from billing.payments.providers.paypal import PayPalProvider
from billing.payments.selectors import order_balance
from core.outbox.services import messages_send_due
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.checkout.conftest import add_to_basket, france, place, to_review  # noqa: F401
from tests.factories import make_order, make_product
from tests.fakes.paypal import _paypal_server, fake_paypal  # noqa: F401

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
S = OrderStatus
D = Decimal


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", "pw")


@pytest.fixture
def paypal_order(customer):
    """A PayPal order of 2 × 12.00 incl. VAT, reserved and waiting for its money."""
    order = make_order(
        lines=[(make_product(price="10.00"), 2)], user=customer, payment_method="paypal"
    )
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.total_incl_tax) == (S.RESERVED, D("24.00"))
    return order


@pytest.fixture
def shopper(client, customer):
    client.force_login(customer)
    return client


def go_to_paypal(client, order, query=""):
    """The customer follows the pay-now link: our pages send them to PayPal.
    Returns the approval URL (PayPal's page, not followed)."""
    response = client.get(reverse("billing:pay", kwargs={"number": order.number}) + query)
    assert response.status_code == 302
    pay_with = response["Location"]
    assert urlsplit(pay_with).path.endswith(f"/orders/{order.number}/pay/paypal/")
    response = client.get(pay_with)
    assert response.status_code == 302
    return response["Location"]


def come_back(client, fake, order_id, query=""):
    """PayPal sends the customer to the return URL given at creation, with ?token=."""
    return_url = fake.contexts[order_id]["return_url"]
    url = urlsplit(return_url)
    params = {**{k: v[0] for k, v in parse_qs(url.query).items()}, **fake.return_query(order_id)}
    return client.get(url.path, params, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def captures(fake):
    return [path for method, path in fake.calls if path.endswith("/capture")]


def test_paypal_payment_end_to_end(fake_paypal, shopper, paypal_order, paid_signals):
    """Given a reserved PayPal order, when the customer approves 24.00 at
    PayPal and comes back, it is captured, recorded, and the order goes on."""
    approval = go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    assert payment.provider == "paypal" and payment.status == "pending"
    assert approval == f"{fake_paypal.url}/checkoutnow?token={payment.provider_id}"

    sent = fake_paypal.orders[payment.provider_id]
    unit = sent["purchase_units"][0]
    assert sent["intent"] == "CAPTURE"
    assert unit["amount"] == {"currency_code": "EUR", "value": "24.00"}
    assert unit["reference_id"] == unit["custom_id"] == paypal_order.number
    context = fake_paypal.contexts[payment.provider_id]
    assert context["return_url"] == "http://testserver" + reverse(
        "billing:pay-return", kwargs={"number": paypal_order.number, "provider": "paypal"}
    )
    assert context["cancel_url"].endswith(f"/orders/{paypal_order.number}/pay/?choose=1")
    assert context["user_action"] == "PAY_NOW"

    fake_paypal.approve(payment.provider_id)
    back = come_back(shopper, fake_paypal, payment.provider_id)

    payment.refresh_from_db()
    paypal_order.refresh_from_db()
    assert payment.status == "succeeded" and payment.amount == D("24.00")
    assert payment.raw_event["status"] == "COMPLETED"  # the captured order, as PayPal said
    assert paypal_order.is_paid and paypal_order.status == S.PICKING
    assert paid_signals == [(paypal_order.number, payment.pk)]
    assert any("payment of €24.00 is received" in m for m in messages_of(back))

    # Coming back again (reload, back button): no second capture, one payment.
    come_back(shopper, fake_paypal, payment.provider_id)
    assert len(captures(fake_paypal)) == 1
    assert Payment.objects.filter(order=paypal_order).count() == 1
    assert len(paid_signals) == 1


def test_a_guest_goes_and_comes_back_with_the_signed_link(fake_paypal, client, paid_signals):
    """A guest paying later from the link in their email (signed ``h``, email
    in session): PayPal's return and cancel URLs keep ``h``."""
    order = make_order(lines=[(make_product(price="5.00"), 1)], payment_method="paypal")
    t.order_reserve(order_id=order.pk)
    session = client.session
    session["anon_order_email"] = order.email
    session.save()
    h = order.verification_hash()

    approval = go_to_paypal(client, order, query=f"?h={h}")
    order_id = parse_qs(urlsplit(approval).query)["token"][0]
    context = fake_paypal.contexts[order_id]
    assert parse_qs(urlsplit(context["return_url"]).query) == {"h": [h]}
    assert parse_qs(urlsplit(context["cancel_url"]).query) == {"choose": ["1"], "h": [h]}

    fake_paypal.approve(order_id)
    come_back(client, fake_paypal, order_id)
    order.refresh_from_db()
    assert order.is_paid and len(paid_signals) == 1


def test_reopening_the_pay_page_reuses_one_paypal_order(fake_paypal, shopper, paypal_order):
    """Three visits (reload, double click, second tab): one PayPal order."""
    links = {go_to_paypal(shopper, paypal_order) for _ in range(3)}
    assert len(links) == 1 and len(fake_paypal.orders) == 1
    assert Payment.objects.filter(order=paypal_order).count() == 1


def test_captured_elsewhere_first_is_recorded_once(
    fake_paypal, shopper, paypal_order, paid_signals
):
    """Another tab (or the approval webhook) captured first: our capture gets
    422 ORDER_ALREADY_CAPTURED, we read the existing capture, one payment."""
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(payment.provider_id)
    fake_paypal.capture_in_background(payment.provider_id)

    back = come_back(shopper, fake_paypal, payment.provider_id)
    assert any("is received" in m for m in messages_of(back))
    payment.refresh_from_db()
    paypal_order.refresh_from_db()
    assert payment.status == "succeeded" and paypal_order.is_paid
    assert len(fake_paypal.captures) == 1 and len(paid_signals) == 1

    # Direct proof of the 422 path: a second capture call on a pending row.
    row = Payment(order=paypal_order, provider="paypal", provider_id=payment.provider_id)
    row.status, row.amount, row.currency = "pending", D("24.00"), "EUR"
    row.updated_at = payment.updated_at
    assert PayPalProvider().finalise(payment=row).status == "succeeded"


def test_declined_keeps_the_order_unpaid_and_the_customer_tries_again(
    fake_paypal, shopper, paypal_order, paid_signals
):
    """PayPal declines the funding source at capture: our page says why and
    leads back to PayPal to choose another; nothing is paid, the order is
    kept; the second attempt goes through."""
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(payment.provider_id)
    fake_paypal.declined = True

    back = come_back(shopper, fake_paypal, payment.provider_id)
    assert back.redirect_chain[-1][0].endswith(f"/orders/{paypal_order.number}/pay/paypal/")
    page = back.content.decode()
    assert "PayPal declined this way of paying. Nothing was charged" in page
    approval = f"{fake_paypal.url}/checkoutnow?token={payment.provider_id}"
    assert f'href="{approval}"' in page  # back to PayPal to choose another

    payment.refresh_from_db()
    paypal_order.refresh_from_db()
    assert payment.status == "pending"  # reopened for the next attempt
    assert not paypal_order.is_paid and paypal_order.status == S.RESERVED
    assert paid_signals == [] and len(fake_paypal.orders) == 1

    fake_paypal.declined = False
    fake_paypal.approve(payment.provider_id)
    come_back(shopper, fake_paypal, payment.provider_id)
    paypal_order.refresh_from_db()
    assert paypal_order.is_paid and len(paid_signals) == 1


def test_coming_back_without_approving_captures_nothing(fake_paypal, shopper, paypal_order):
    """The return URL opened by hand before approving: PayPal refuses the
    capture (ORDER_NOT_APPROVED), the customer is sent to approve."""
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    url = urlsplit(fake_paypal.contexts[payment.provider_id]["return_url"]).path
    back = shopper.get(url, {"token": payment.provider_id}, follow=True)
    assert "PayPal has not approved this payment yet" in back.content.decode()
    assert not fake_paypal.captures
    assert not paypal_order.payments.filter(status="succeeded").exists()


def test_amount_at_paypal_differs_not_paid_and_staff_alerted(
    fake_paypal, shopper, paypal_order, manager, paid_signals
):
    """PayPal captured 20.00 for an order owing 24.00: the order is not
    marked paid, the payment is flagged, the manager gets an email."""
    paypal_order.manager = manager
    paypal_order.save(update_fields=["manager"])
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(payment.provider_id)
    fake_paypal.capture_amount = "20.00"

    back = come_back(shopper, fake_paypal, payment.provider_id)
    assert any("differs" in m for m in messages_of(back))
    payment.refresh_from_db()
    paypal_order.refresh_from_db()
    assert not paypal_order.is_paid and paid_signals == []
    assert (payment.flag, payment.amount) == (Payment.Flag.AMOUNT_MISMATCH, D("20.00"))
    assert payment.status != "succeeded"
    assert order_balance(paypal_order) == D("24.00")
    messages_send_due()
    # The alert is in the shop's language: found by its recipient.
    (alert,) = [m for m in mail.outbox if m.to == [manager.email]]
    assert paypal_order.number in alert.subject
    assert f"/admin/billing/payment/{payment.pk}/" in alert.body


def test_order_changed_while_at_paypal_is_not_captured(
    fake_paypal, shopper, paypal_order, paid_signals
):
    """The order owes another amount by the time the customer comes back
    (a cheque arrived, the order was edited): nothing is captured, the
    customer is told and pays the new amount with a new PayPal order."""
    go_to_paypal(shopper, paypal_order)
    first = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(first.provider_id)
    services.record_payment(order_id=paypal_order.pk, amount=D("4"), method="cheque")

    back = come_back(shopper, fake_paypal, first.provider_id)
    assert any("cancelled. Nothing was charged" in m for m in messages_of(back))
    assert not fake_paypal.captures
    first.refresh_from_db()
    assert first.status == "cancelled"

    go_to_paypal(shopper, paypal_order)
    second = Payment.objects.get(order=paypal_order, provider="paypal", status="pending")
    assert second.amount == D("20.00")
    unit = fake_paypal.orders[second.provider_id]["purchase_units"][0]
    assert unit["amount"]["value"] == "20.00"
    assert paid_signals == []


def test_cancelled_order_is_not_captured(fake_paypal, shopper, paypal_order, paid_signals):
    """Staff cancelled the order while the customer was at PayPal: nothing is
    taken (a card would have been charged and refunded)."""
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(payment.provider_id)
    t.order_cancel(order_id=paypal_order.pk, note="out of stock")

    come_back(shopper, fake_paypal, payment.provider_id)
    payment.refresh_from_db()
    assert not fake_paypal.captures and payment.status == "cancelled"
    assert paid_signals == []


def test_cancelling_at_paypal_shows_the_choice_again(fake_paypal, shopper, paypal_order):
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    cancel = urlsplit(fake_paypal.contexts[payment.provider_id]["cancel_url"])
    page = shopper.get(f"{cancel.path}?{cancel.query}&token={payment.provider_id}")
    assert page.status_code == 200
    assert "How would you like to pay?" in page.content.decode()


def test_refund_through_paypal_is_a_refund_row(fake_paypal, shopper, paypal_order):
    """Staff refund 10.00 then the rest: PayPal refunds the capture, each is a row."""
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    fake_paypal.approve(payment.provider_id)
    come_back(shopper, fake_paypal, payment.provider_id)
    payment.refresh_from_db()
    (capture_id,) = fake_paypal.captures

    first = services.refund_payment(payment_id=payment.pk, amount=D("10.00"))
    assert (first.kind, first.status, first.amount, first.refund_of) == (
        "refund",
        "succeeded",
        D("10.00"),
        payment,
    )
    assert first.provider == "paypal" and first.provider_id in fake_paypal.refunds
    assert fake_paypal.captures[capture_id]["status"] == "PARTIALLY_REFUNDED"
    assert order_balance(paypal_order) == D("10.00")

    rest = services.refund_payment(payment_id=payment.pk)
    assert rest.amount == D("14.00") and rest.provider_id != first.provider_id
    assert fake_paypal.captures[capture_id]["status"] == "REFUNDED"
    assert Payment.objects.filter(order=paypal_order, kind="refund").count() == 2


@pytest.mark.parametrize(
    ("setting", "value"),
    [("PAYPAL_API_BASE", "http://127.0.0.1:9"), ("PAYPAL_CLIENT_SECRET", "not-the-secret")],
    ids=["unreachable", "wrong-credentials"],
)
def test_paypal_failing_is_a_clear_message(
    fake_paypal, shopper, paypal_order, settings, setting, value
):
    setattr(settings, setting, value)
    response = shopper.get(
        reverse("billing:pay-with", kwargs={"number": paypal_order.number, "provider": "paypal"}),
        follow=True,
    )
    assert any("PayPal payment service is unavailable" in m for m in messages_of(response))
    assert not Payment.objects.exists()


def test_paypal_is_offered_only_with_its_keys(fake_paypal, settings):
    assert PayPalProvider().is_configured()
    settings.PAYPAL_CLIENT_SECRET = ""
    assert not PayPalProvider().is_configured()


def test_one_token_serves_many_calls(fake_paypal, shopper, paypal_order):
    go_to_paypal(shopper, paypal_order)
    payment = Payment.objects.get(order=paypal_order)
    PayPalProvider().fetch_payment(provider_id=payment.provider_id)
    PayPalProvider().fetch_payment(provider_id=payment.provider_id)
    assert [c for c in fake_paypal.calls if c[1] == "/v1/oauth2/token"] == [
        ("POST", "/v1/oauth2/token")
    ]


def test_an_expired_paypal_order_is_replaced(fake_paypal, shopper, paypal_order):
    """PayPal forgot the order (not approved in time: 404): the pay page
    opens a new one instead of failing; a late return captures nothing."""
    go_to_paypal(shopper, paypal_order)
    first = Payment.objects.get(order=paypal_order)
    return_url = fake_paypal.contexts[first.provider_id]["return_url"]
    del fake_paypal.orders[first.provider_id]

    approval = go_to_paypal(shopper, paypal_order)
    first.refresh_from_db()
    second = Payment.objects.get(order=paypal_order, status="pending")
    assert first.status == "cancelled" and second.provider_id in approval

    back = shopper.get(urlsplit(return_url).path, {"token": first.provider_id}, follow=True)
    assert any("Nothing was charged" in m for m in messages_of(back))
    assert not fake_paypal.captures and not paypal_order.payments.filter(status="succeeded")


def test_a_guest_checks_out_and_pays_with_paypal(fake_paypal, client, france, paid_signals):
    """From the storefront: a guest places a PayPal order, is sent to PayPal
    with their delivery address, approves, comes back: paid, being picked."""
    add_to_basket(client, make_product("Relay 12 V", price="10.00", stock=5), 2)
    to_review(client, payment="paypal")
    placed = place(client)
    order = Order.objects.get()
    assert placed.url == reverse("billing:pay", kwargs={"number": order.number})

    approval = go_to_paypal(client, order)
    order_id = parse_qs(urlsplit(approval).query)["token"][0]
    unit = fake_paypal.orders[order_id]["purchase_units"][0]
    assert unit["amount"]["value"] == str(order.total_incl_tax)
    assert unit["shipping"]["address"]["country_code"] == "FR"
    assert unit["shipping"]["address"]["address_line_1"] == order.shipping_address.line1
    assert fake_paypal.contexts[order_id]["shipping_preference"] == "SET_PROVIDED_ADDRESS"

    fake_paypal.approve(order_id)
    back = come_back(client, fake_paypal, order_id)
    assert back.status_code == 200
    order.refresh_from_db()
    assert order.is_paid and order.status == S.PICKING
    assert paid_signals == [(order.number, Payment.objects.get(order=order).pk)]

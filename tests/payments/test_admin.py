"""Staff record what they received from the order's page, see the balance
and what needs checking, and refund."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment
from billing.payments import services

from .conftest import transfer_order_in_progress

pytestmark = pytest.mark.django_db
D = Decimal


def test_order_page_shows_balance_payments_and_the_record_link(staff_client):
    order = transfer_order_in_progress()
    services.record_payment(order_id=order.pk, amount=D("10"), method="cheque", reference="CHQ-77")
    page = staff_client.get(reverse("admin:order_order_change", args=[order.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("admin:billing_payment_record", args=[order.pk]) in html
    assert "CHQ-77" in html  # the payments inline
    assert "26.00" in html or "26,00" in html  # balance due


def test_staff_record_a_transfer_from_the_order_page(staff_client, paid_signals):
    """Given an order owing 36.00, when staff record 36.00 received by
    transfer with its reference, the order is paid and the row says who."""
    order = transfer_order_in_progress()
    url = reverse("admin:billing_payment_record", args=[order.pk])
    form = staff_client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["amount"] == D("36.00")

    today = timezone.localdate().isoformat()
    response = staff_client.post(
        url,
        {"method": "transfer", "amount": "36.00", "received_on": today, "reference": "VIR 123"},
    )
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount, payment.reference, payment.recorded_by) == (
        "transfer",
        D("36.00"),
        "VIR 123",
        staff_client.user,
    )
    order.refresh_from_db()
    assert order.is_paid and paid_signals == [(order.number, payment.pk)]


def test_recording_refuses_card_method_and_future_dates(staff_client):
    order = transfer_order_in_progress()
    url = reverse("admin:billing_payment_record", args=[order.pk])
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    page = staff_client.post(url, {"method": "card", "amount": "1", "received_on": tomorrow})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"method", "received_on"}
    assert not Payment.objects.exists()


def test_payment_list_filters_what_needs_checking(staff_client):
    order = transfer_order_in_progress()
    services.record_payment(order_id=order.pk, amount=D("30"), method="cheque", reference="OK-1")
    services.record_payment(
        order_id=order.pk, amount=D("10"), method="cheque", reference="TOO-MUCH"
    )
    page = staff_client.get(reverse("admin:billing_payment_changelist") + "?flagged=yes")
    html = page.content.decode()
    assert "TOO-MUCH" in html and "OK-1" not in html


def test_staff_refund_a_manual_payment(staff_client):
    order = transfer_order_in_progress()
    payment = services.record_payment(order_id=order.pk, amount=D("40"), method="cheque")
    change = staff_client.get(reverse("admin:billing_payment_change", args=[payment.pk]))
    refund_url = reverse("admin:billing_payment_refund", args=[payment.pk])
    assert refund_url in change.content.decode()

    response = staff_client.post(refund_url, {"amount": "4.00", "note": "trop perçu"})
    assert response.status_code == 302
    refund = Payment.objects.get(kind="refund")
    assert (refund.amount, refund.refund_of, refund.recorded_by) == (
        D("4.00"),
        payment,
        staff_client.user,
    )
    page = staff_client.post(refund_url, {"amount": "100"}, follow=True)
    assert any("refund must be" in str(m) for m in page.context["messages"])
    assert Payment.objects.filter(kind="refund").count() == 1


def test_customers_cannot_reach_the_recording_page(client, django_user_model):
    order = transfer_order_in_progress()
    user = django_user_model.objects.create_user("c", "c@example.com", "pw")
    client.force_login(user)
    response = client.get(reverse("admin:billing_payment_record", args=[order.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_refund_action_on_the_list(staff_client):
    order = transfer_order_in_progress()
    first = services.record_payment(order_id=order.pk, amount=D("30"), method="cheque")
    second = services.record_payment(order_id=order.pk, amount=D("6"), method="cheque")
    services.refund_payment(payment_id=second.pk)
    response = staff_client.post(
        reverse("admin:billing_payment_changelist"),
        {"action": "refund_in_full", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("1 refunded" in m for m in texts)
    assert any("refund must be" in m for m in texts)  # the second had nothing left
    assert services.refundable(first) == 0


def test_every_date_widget_renders_iso_under_french():
    """An <input type=date> only accepts YYYY-MM-DD: a localised value
    ("23/11/2026") is dropped by the browser and blocks the submit."""
    import datetime

    from django.utils import translation

    from billing.payments.forms import RecordPaymentForm
    from procurement.admin.forms import InTransitForm, OrderedForm
    from procurement.forms import LineForm

    day = datetime.date(2026, 11, 23)
    with translation.override("fr"):
        fields = [
            RecordPaymentForm(initial={"received_on": day})["received_on"],
            OrderedForm(initial={"expected_on": day})["expected_on"],
            InTransitForm(initial={"expected_on": day})["expected_on"],
            LineForm(initial={"wished_date": day})["wished_date"],
        ]
        assert all('value="2026-11-23"' in str(field) for field in fields)


def test_order_page_shows_labels_not_codes(staff_client):
    from django.utils import translation

    from orders.statuses import OrderStatus

    order = transfer_order_in_progress()
    page = staff_client.get(reverse("admin:order_order_change", args=[order.pk]))
    html = page.content.decode()
    with translation.override("en"):
        status = str(OrderStatus(order.status).label)
    assert "Bank transfer" in html and status in html
    assert '<div class="readonly">transfer</div>' not in html
    assert f'<div class="readonly">{order.status}</div>' not in html
    assert 'class="payments-summary"' in html


def test_refund_through_an_unknown_provider_says_to_do_it_by_hand(staff_client):
    """A payment from a provider no longer installed: a clear message, no 500."""
    order = transfer_order_in_progress()
    payment = services.record_payment(
        order_id=order.pk, amount=D("36.74"), method="card", provider="demo", provider_id="d-1"
    )
    refund_url = reverse("admin:billing_payment_refund", args=[payment.pk])
    page = staff_client.get(refund_url)
    assert "36.74 EUR" not in page.content.decode()
    response = staff_client.post(refund_url, {"amount": "36.74"}, follow=True)
    assert response.status_code == 200
    assert any("record the refund by hand" in str(m) for m in response.context["messages"])
    assert not Payment.objects.filter(kind="refund").exists()

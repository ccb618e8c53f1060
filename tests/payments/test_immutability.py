"""The payment ledger is immutable in the database itself (billing migration
0006, core.immutable): a succeeded payment or refund cannot be changed by
raw SQL, no row can be deleted, a pending payment still completes once, and
staff who try from the admin read a message, not a server error."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from billing.admin.payments import PaymentAdmin
from billing.models import Payment
from billing.payments import services

from .conftest import transfer_order_in_progress

pytestmark = pytest.mark.django_db
D = Decimal


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def succeeded():
    order = transfer_order_in_progress()
    return services.record_payment(
        order_id=order.pk, amount=D("36.00"), method="cheque", reference="CHQ-1"
    )


@pytest.fixture
def pending():
    order = transfer_order_in_progress()
    return Payment.objects.create(
        order=order,
        method="card",
        provider="stripe",
        provider_id="pi_pending_1",
        amount=D("36.00"),
        status=Payment.Status.PENDING,
    )


@pytest.mark.parametrize(
    "assignment",
    [
        "amount = 1",
        "currency = 'USD'",
        "method = 'card'",
        "provider_id = 'pi_forged'",
        "status = 'cancelled'",
        "kind = 'refund'",
        "received_on = '2001-01-01'",
    ],
)
def test_database_refuses_a_raw_update_of_a_succeeded_payment(succeeded, assignment):
    """Given a succeeded payment, when its amount, currency, method,
    provider id, status, kind or date is changed by raw SQL, the database
    refuses, and the row is as recorded."""
    with pytest.raises(IntegrityError, match="payment or refund cannot be changed"):
        raw(f"UPDATE billing_payment SET {assignment} WHERE id = %s", [succeeded.pk])
    stored = Payment.objects.get(pk=succeeded.pk)
    assert (stored.amount, stored.currency, stored.method, stored.status, stored.kind) == (
        D("36.00"),
        "EUR",
        "cheque",
        "succeeded",
        "payment",
    )


def test_a_succeeded_refund_is_frozen_too(succeeded):
    refund = services.refund_payment(payment_id=succeeded.pk, amount=D("6.00"))
    assert refund.status == "succeeded"
    with pytest.raises(IntegrityError, match="payment or refund"):
        raw("UPDATE billing_payment SET amount = 0.01 WHERE id = %s", [refund.pk])
    with pytest.raises(IntegrityError, match="payment or refund"):
        raw("UPDATE billing_payment SET refund_of_id = NULL WHERE id = %s", [refund.pk])
    assert services.refundable(succeeded) == D("30.00")


def test_no_row_of_the_ledger_can_be_deleted(succeeded, pending):
    for row in (succeeded, pending):
        with pytest.raises(IntegrityError, match="payment or refund"):
            raw("DELETE FROM billing_payment WHERE id = %s", [row.pk])
    assert Payment.objects.filter(pk__in=[succeeded.pk, pending.pk]).count() == 2


def test_bookkeeping_stays_writable_on_a_succeeded_payment(succeeded):
    """The flag staff clear, the note, the reference and the provider's data
    are not money: they may change."""
    raw(
        "UPDATE billing_payment SET flag = 'overpaid', note = 'checked', reference = 'CHQ-2' "
        "WHERE id = %s",
        [succeeded.pk],
    )
    stored = Payment.objects.get(pk=succeeded.pk)
    assert (stored.flag, stored.note, stored.reference) == ("overpaid", "checked", "CHQ-2")


def test_a_pending_payment_completes_once(pending):
    """Given a pending card payment, when the provider's news records it, it
    becomes succeeded (through the service, as a webhook would); then no
    later news, nor raw SQL, moves it again."""
    order = pending.order
    done = services.record_payment(
        order_id=order.pk,
        amount=D("36.00"),
        method="card",
        provider="stripe",
        provider_id="pi_pending_1",
    )
    assert done.pk == pending.pk and done.status == "succeeded"
    order.refresh_from_db()
    assert order.is_paid
    # The same news again is a no-op; anything else is refused.
    again = services.record_payment(
        order_id=order.pk,
        amount=D("36.00"),
        method="card",
        provider="stripe",
        provider_id="pi_pending_1",
    )
    assert again.pk == pending.pk
    with pytest.raises(IntegrityError, match="payment or refund"):
        raw("UPDATE billing_payment SET status = 'failed' WHERE id = %s", [pending.pk])
    assert Payment.objects.get(pk=pending.pk).status == "succeeded"


def test_a_pending_row_may_be_declined_then_retried(pending):
    """A declined card keeps its PaymentIntent: failed, then pending again,
    then succeeded; but what it is (method, provider id) never changes."""
    raw("UPDATE billing_payment SET status = 'failed' WHERE id = %s", [pending.pk])
    raw("UPDATE billing_payment SET status = 'pending' WHERE id = %s", [pending.pk])
    raw("UPDATE billing_payment SET status = 'failed' WHERE id = %s", [pending.pk])
    with pytest.raises(IntegrityError, match="payment or refund"):
        raw("UPDATE billing_payment SET provider_id = 'pi_other' WHERE id = %s", [pending.pk])
    raw("UPDATE billing_payment SET status = 'succeeded' WHERE id = %s", [pending.pk])
    assert Payment.objects.get(pk=pending.pk).status == "succeeded"


def test_staff_trying_to_change_a_payment_in_the_admin_read_a_message(
    staff_client, succeeded, monkeypatch
):
    """Given an admin that (by mistake) lets staff edit a payment's amount,
    when staff save a new amount, then the database refuses and the admin
    answers with a message and the page again, not a 500."""
    editable = [f for f in PaymentAdmin.readonly_fields if f != "amount"]
    monkeypatch.setattr(PaymentAdmin, "readonly_fields", editable)
    url = reverse("admin:billing_payment_change", args=[succeeded.pk])
    response = staff_client.post(url, {"amount": "1.00"})
    assert response.status_code == 302 and response["Location"] == url
    page = staff_client.get(url)
    assert "This record is final" in page.content.decode()
    assert Payment.objects.get(pk=succeeded.pk).amount == D("36.00")

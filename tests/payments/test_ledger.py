"""The ledger: payments add up, the balance is derived, the order hears once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from billing.models import Payment
from billing.payments import services
from billing.payments.exceptions import PaymentError
from billing.payments.selectors import order_balance, order_is_payable
from core.outbox.services import messages_send_due
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

from .conftest import transfer_order_in_progress

pytestmark = pytest.mark.django_db
S = OrderStatus
D = Decimal


def test_balance_is_total_less_payments_plus_refunds():
    """Given an order of 36.00, when 30 is paid and 5 refunded, 11 is due;
    pending and failed rows count for nothing."""
    order = transfer_order_in_progress()
    assert order.total_incl_tax == D("36.00")
    assert order_balance(order) == D("36.00")
    paid = services.record_payment(order_id=order.pk, amount=D("30"), method="transfer")
    Payment.objects.create(order=order, method="card", amount=D("6"), status="pending")
    Payment.objects.create(order=order, method="card", amount=D("6"), status="failed")
    services.refund_payment(payment_id=paid.pk, amount=D("5"))
    assert order_balance(order) == D("11.00")


def test_partial_payments_add_up_and_the_order_hears_once(paid_signals):
    """Given an order waiting for 36.00, when 20 then 16 arrive by transfer,
    the order is paid (and goes to picking) on the second, order_paid once."""
    order = transfer_order_in_progress()
    assert order.status == S.IN_PROGRESS

    services.record_payment(order_id=order.pk, amount=D("20"), method="transfer", reference="VIR-1")
    order.refresh_from_db()
    assert (order.is_paid, order.status, paid_signals) == (False, S.IN_PROGRESS, [])

    second = services.record_payment(order_id=order.pk, amount=D("16"), method="cheque")
    order.refresh_from_db()
    assert order.is_paid and order.status == S.PICKING
    assert paid_signals == [(order.number, second.pk)]
    assert order_balance(order) == 0
    assert not order_is_payable(order)
    assert second.flag == ""


def test_order_paid_is_sent_inside_the_transaction(paid_signals):
    """A receiver that fails rolls the payment back with it."""
    from billing.signals import order_paid

    order = transfer_order_in_progress()

    def broken(**kwargs):
        raise RuntimeError("invoice numbering failed")

    order_paid.connect(broken, dispatch_uid="broken")
    try:
        with pytest.raises(RuntimeError):
            services.record_payment(order_id=order.pk, amount=D("36"), method="transfer")
    finally:
        order_paid.disconnect(dispatch_uid="broken")
    order.refresh_from_db()
    assert not order.is_paid
    assert not Payment.objects.filter(order=order).exists()


def test_overpayment_is_flagged_and_staff_alerted(manager, paid_signals):
    """Given 36.00 due, when 40 arrive, the order is paid, the payment is
    flagged overpaid, and the order's manager gets an email."""
    order = transfer_order_in_progress(manager=manager)
    payment = services.record_payment(order_id=order.pk, amount=D("40"), method="cheque")
    assert payment.flag == Payment.Flag.OVERPAID
    assert order_balance(order) == D("-4.00")
    order.refresh_from_db()
    assert order.is_paid and len(paid_signals) == 1

    messages_send_due()
    # Staff alerts are written in the shop's language.
    with translation.override(settings.LANGUAGE_CODE):
        flag = str(Payment.Flag.OVERPAID.label)
    alerts = [m for m in mail.outbox if flag in m.subject]
    assert [m.to for m in alerts] == [["gerante@example.com"]]
    assert order.number in alerts[0].subject and "40" in alerts[0].body


def test_refunding_the_difference_clears_the_overpaid_flag():
    order = transfer_order_in_progress()
    payment = services.record_payment(order_id=order.pk, amount=D("40"), method="cheque")
    refund = services.refund_payment(payment_id=payment.pk, amount=D("4"), note="trop perçu")
    payment.refresh_from_db()
    assert (refund.kind, refund.status, refund.refund_of_id) == ("refund", "succeeded", payment.pk)
    assert payment.flag == "" and order_balance(order) == 0


def test_a_refund_cannot_exceed_what_is_left():
    order = transfer_order_in_progress()
    payment = services.record_payment(order_id=order.pk, amount=D("36"), method="cheque")
    services.refund_payment(payment_id=payment.pk, amount=D("30"))
    with pytest.raises(PaymentError):
        services.refund_payment(payment_id=payment.pk, amount=D("6.01"))
    assert services.refundable(payment) == D("6.00")


def test_payment_on_a_cancelled_order_is_kept_flagged_and_not_revived(manager, paid_signals):
    """Given a cancelled order, when its transfer arrives anyway, the money
    is recorded and flagged for refund; the order stays cancelled, unpaid."""
    order = transfer_order_in_progress(manager=manager)
    t.order_cancel(order_id=order.pk, note="unpaid")
    payment = services.record_payment(order_id=order.pk, amount=D("36"), method="transfer")
    order.refresh_from_db()
    assert order.status == S.CANCELLED and not order.is_paid
    assert payment.status == "succeeded" and payment.flag == Payment.Flag.REFUND_DUE
    assert paid_signals == []
    messages_send_due()
    assert any(order.number in m.subject for m in mail.outbox if m.to == [manager.email])

    services.refund_payment(payment_id=payment.pk)
    payment.refresh_from_db()
    assert payment.flag == ""


def test_recording_is_idempotent_on_the_provider_id(paid_signals):
    """The same provider payment recorded twice is one row and one order_paid."""
    order = transfer_order_in_progress()
    kwargs = {"order_id": order.pk, "amount": D("36"), "method": "card", "provider": "stripe"}
    first = services.record_payment(provider_id="pi_1", **kwargs)
    again = services.record_payment(provider_id="pi_1", **kwargs)
    assert first.pk == again.pk
    assert Payment.objects.filter(order=order).count() == 1
    assert len(paid_signals) == 1


def test_paying_a_new_order_marks_it_paid_and_it_confirms_at_reservation(paid_signals):
    """A card order paid before its reservation confirms itself once reserved."""
    order = make_order(lines=[(make_product(price="5.00"), 2)], payment_method="card")
    services.record_payment(order_id=order.pk, amount=D("12"), method="card")
    order.refresh_from_db()
    assert order.is_paid and order.status == S.NEW
    t.order_reserve(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == S.PICKING


def test_zero_or_negative_amounts_are_refused():
    order = transfer_order_in_progress()
    with pytest.raises(PaymentError):
        services.record_payment(order_id=order.pk, amount=D("0"), method="cheque")


def test_received_on_defaults_to_today():
    order = transfer_order_in_progress()
    yesterday = timezone.localdate() - timedelta(days=1)
    a = services.record_payment(order_id=order.pk, amount=D("1"), method="cheque")
    b = services.record_payment(
        order_id=order.pk, amount=D("1"), method="cheque", received_on=yesterday
    )
    assert (a.received_on, b.received_on) == (timezone.localdate(), yesterday)


def test_a_counter_sale_paid_in_full_gets_its_invoice_through_order_paid():
    """The contract with documents: order_paid, sent when the payment covers
    the order, issues the counter sale's invoice in the same transaction."""
    from billing.documents import invoicing

    order = make_order(lines=[(make_product(price="5.00"), 1)], payment_method="counter")
    t.order_reserve(order_id=order.pk)
    services.record_payment(order_id=order.pk, amount=D("3"), method="counter")
    assert invoicing.invoice_for(order) is None
    services.record_payment(order_id=order.pk, amount=D("3"), method="counter", reference="T-42")
    assert invoicing.invoice_for(order) is not None

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core import sms
from core.outbox import delivery
from core.outbox import services as outbox
from core.outbox.models import OutboxMessage
from core.outbox.selectors import messages_about
from orders.services import jobs
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import Order, make_order, make_product, stock_of

S = OrderStatus
pytestmark = pytest.mark.django_db


def placed_days_ago(order, days):
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(days=days))


def test_unpaid_transfer_is_reminded_after_5_days_and_cancelled_after_7():
    product = make_product(stock=10)
    order = make_order(lines=[(product, 2, 10)], payment_method="transfer")
    t.order_reserve(order_id=order.pk)  # nothing changed: in progress
    placed_days_ago(order, 4)
    assert jobs.transfers_remind_unpaid() == 0

    placed_days_ago(order, 5)
    assert jobs.transfers_remind_unpaid() == 1
    assert jobs.transfers_remind_unpaid() == 0  # once only
    reminder = messages_about(order).get(dedupe_key__endswith="transfer-reminder")
    assert "FR76 3000 6000 0112 3456 7890 189" in reminder.body_text
    assert order.number in reminder.body_text

    assert jobs.transfers_cancel_unpaid() == 0
    placed_days_ago(order, 8)
    assert jobs.transfers_cancel_unpaid() == 1
    assert jobs.transfers_cancel_unpaid() == 0
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.transitions.last().source == "beat:cancel_unpaid_transfers"
    assert stock_of(product) == (10, 0)


def test_paid_transfer_is_left_alone():
    order = make_order(lines=[(make_product(), 1)], payment_method="transfer")
    order.paid_at = timezone.now()
    order.save()
    placed_days_ago(order, 30)
    assert jobs.transfers_remind_unpaid() == 0
    assert jobs.transfers_cancel_unpaid() == 0


def test_expiry_spares_paid_pay_later_and_fresh_reservations():
    """Overdue: a reservation never confirmed, and a confirmed card order
    still unpaid. Spared: a fresh reservation, a confirmed paid order, and a
    bank-transfer order (it has its own 7-day rule)."""
    product = make_product(stock=10)
    due, unpaid, fresh, paid = (make_order(lines=[(product, 1)]) for _ in range(4))
    transfer = make_order(lines=[(product, 1, 10)], payment_method="transfer")
    for order in (due, unpaid, fresh, paid, transfer):
        t.order_reserve(order_id=order.pk)
    t.order_confirm(order_id=unpaid.pk)
    t.order_confirm(order_id=paid.pk)
    Order.objects.filter(pk=paid.pk).update(paid_at=timezone.now())
    Order.objects.exclude(pk=fresh.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

    assert jobs.reservations_expire() == 2

    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: S.CANCELLED,
        unpaid.pk: S.CANCELLED,
        fresh.pk: S.RESERVED,
        paid.pk: S.IN_PROGRESS,
        transfer.pk: S.RESERVED,  # waits for its payment, until its own deadline
    }
    assert stock_of(product) == (10, 3)


def test_transition_email_and_sms_go_through_the_outbox(
    django_capture_on_commit_callbacks, eager_celery
):
    """Given a customer who agreed to SMS, when the order is shipped, then an
    email and an SMS are written in the transaction and sent after commit."""
    sms.outbox.clear()
    order = make_order(
        lines=[(make_product(), 1)],
        status=S.PICKING,
        sms_opt_in=True,
        notify_phone="+33612345678",
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        t.order_ship(order_id=order.pk, carrier="Colissimo", tracking_number="6A123")

    # The move's email and SMS, and the invoice issued on shipping: all
    # about the order, all sent.
    sent = messages_about(order).filter(status="sent")
    assert sorted(sent.values_list("channel", "renderer")) == [
        ("email", "billing.document"),
        ("email", "order.transition"),
        ("sms", "order.transition"),
    ]
    # The invoice goes out on shipping too, in its own email (billing.documents).
    (email,) = [m for m in mail.outbox if "X-Comptoir-Document" not in m.extra_headers]
    assert email.to == ["client@example.com"]
    assert "Colissimo" in email.body and "6A123" in email.body
    assert "is now: Shipped" in email.body  # the customer's language
    assert email.alternatives[0][1] == "text/html"
    assert sms.outbox == [{"to": "+33612345678", "body": sms.outbox[0]["body"]}]
    assert "6A123" in sms.outbox[0]["body"]


def test_no_sms_without_consent():
    order = make_order(lines=[(make_product(), 1)], notify_phone="+33612345678")
    t.order_reserve(order_id=order.pk)
    assert list(messages_about(order).values_list("channel", flat=True)) == ["email"]


def test_broker_down_leaves_the_message_pending_until_the_sweep(
    django_capture_on_commit_callbacks, unreachable_broker, caplog
):
    """Given an unreachable broker, when an order changes state, then the
    change is saved and the email waits in the outbox; the beat sweep sends
    it once the way is clear."""
    order = make_order(lines=[(make_product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        t.order_reserve(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == S.RESERVED
    assert "left pending" in caplog.text  # the broker refused the task
    assert messages_about(order).get().status == "pending"
    assert mail.outbox == []

    assert outbox.messages_send_due() == 1
    assert messages_about(order).get().status == "sent"
    assert len(mail.outbox) == 1
    assert outbox.messages_send_due() == 0


def test_a_failing_provider_is_retried_with_backoff_then_marked_failed(monkeypatch):
    """Given an SMS provider that refuses, each failure pushes the next try
    further (1, 2, 4... minutes, then hourly); the sweep leaves the message
    alone until then; after MAX_ATTEMPTS it is marked failed."""
    order = make_order(lines=[(make_product(), 1)], sms_opt_in=True, notify_phone="+33600000000")
    t.order_reserve(order_id=order.pk)

    def refuse(*, to, body):
        raise sms.SmsError("provider down")

    monkeypatch.setattr(delivery, "send_sms", refuse)
    message = messages_about(order).get(channel="sms")
    outbox.messages_send_due()  # email sent, SMS refused once
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)

    assert outbox.messages_send_due() == 0  # not due yet
    message.refresh_from_db()
    assert message.attempts == 1

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)  # due now
        assert outbox.message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "failed",
        outbox.MAX_ATTEMPTS,
        "provider down",
    )
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(minutes=59) < wait <= timedelta(minutes=60)


def test_notes_written_by_the_system_are_in_the_customers_language():
    product = make_product(stock=5)
    english, french = (make_order(lines=[(product, 1)], language=lang) for lang in ("en", "fr"))
    for order in (english, french):
        t.order_reserve(order_id=order.pk)
    Order.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))

    jobs.reservations_expire()

    assert english.transitions.last().note == "Reservation not confirmed within 3 days."
    assert french.transitions.last().note == "Réservation non confirmée sous 3 jours."

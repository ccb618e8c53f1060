"""The one outbox (core.outbox): written in the caller's transaction, sent
at most once, backing off, failing visibly, retried from the admin."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.outbox import delivery
from core.outbox import services as outbox
from core.outbox.models import OutboxMessage
from core.outbox.renderers import Content, renderer_register
from core.outbox.selectors import messages_about, outbox_ref
from orders.services import transitions as t
from tests.factories import make_order, make_product

Status = OutboxMessage.Status


def queue_email(**fields):
    defaults = {"channel": "email", "recipient": "client@example.com", "subject": "Hello"}
    [message] = outbox.outbox_queue([outbox.outbox_message(**{**defaults, **fields})])
    return message


@renderer_register("tests.attachment")
def _render_with_attachment(message):
    return Content(
        subject=f"Report {message.payload['n']}",
        text="See attached.",
        attachments=[("report.txt", b"42", "text/plain")],
    )


@pytest.mark.django_db
def test_nothing_is_queued_when_the_change_rolls_back():
    """Given a change that fails after queuing its message, the message goes too."""
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email()
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_message_is_sent_once_with_its_attachment_even_if_the_task_runs_again():
    """Given a queued email rendered when sent, when the delivery task runs
    twice (a retried task), the email goes out once, with its attachment."""
    message = queue_email(renderer="tests.attachment", payload={"n": 7})

    assert outbox.message_send(message_id=message.pk) is True
    assert outbox.message_send(message_id=message.pk) is False
    assert outbox.messages_send_due(message_ids=[message.pk]) == 0

    [email] = mail.outbox
    assert email.subject == "Report 7"
    [(filename, content, mimetype)] = email.attachments
    assert (filename, content, mimetype) == ("report.txt", "42", "text/plain")
    assert email.extra_headers["X-Comptoir-Outbox"] == str(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.subject) == (Status.SENT, 1, "Report 7")


@pytest.mark.django_db
def test_a_dedupe_key_makes_queuing_twice_a_no_op():
    queue_email(dedupe_key="job:1")
    queue_email(dedupe_key="job:1")
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message(monkeypatch):
    """Given one pending message and two workers delivering at once (each on
    its own database connection), exactly one of them sends it."""
    message = queue_email()
    sent = []

    def slow_email(message, content):
        sent.append(message.pk)
        threading.Event().wait(0.3)

    monkeypatch.setitem(delivery.CHANNELS, "email", slow_email)
    results = []
    start = threading.Barrier(2)

    def worker():
        start.wait()
        try:
            results.append(outbox.message_send(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert sent == [message.pk]
    assert OutboxMessage.objects.get().status == Status.SENT


@pytest.mark.django_db
def test_a_failure_backs_off_then_fails_visibly_and_retry_starts_again(monkeypatch):
    """Given a provider that refuses, the message waits longer after each try,
    ends "failed" after MAX_ATTEMPTS, and staff's retry sends it once the
    provider is back."""

    def refuse(message, content):
        raise ConnectionError("provider down")

    monkeypatch.setitem(delivery.CHANNELS, "email", refuse)
    message = queue_email()
    assert outbox.message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        Status.PENDING,
        1,
        "provider down",
    )
    assert outbox.messages_send_due() == 0  # not due yet: backing off
    assert outbox.message_send(message_id=message.pk) is False  # nor by id
    message.refresh_from_db()
    assert message.attempts == 1

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, outbox.MAX_ATTEMPTS)
    assert outbox.messages_send_due() == 0  # failed stays failed

    monkeypatch.undo()
    assert outbox.messages_retry(message_ids=[message.pk]) == 1
    assert outbox.messages_send_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


@pytest.mark.django_db
def test_a_message_interrupted_while_sending_is_not_sent_again_by_itself():
    """Given a worker that died while sending (row left "sending"), the sweep
    marks it failed for staff to check: it may have gone out already."""
    message = queue_email()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    assert outbox.messages_send_due() == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED and "Interrupted" in message.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_unknown_renderer_is_a_failure_not_a_crash():
    message = queue_email(renderer="nobody.registered")
    assert outbox.message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == Status.PENDING and "nobody.registered" in message.last_error


@pytest.mark.django_db
def test_admin_lists_an_orders_messages_and_retries_a_failed_one(client):
    """Given an order whose move was told to the customer, the order's admin
    page lists the message; a failed message goes again from the outbox's
    admin with the "retry" action."""
    staff = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(staff)
    order = make_order(lines=[(make_product(stock=5), 1)])
    t.order_reserve(order_id=order.pk)
    [message] = messages_about(order)
    assert message.topic == outbox_ref(order) == f"order.order:{order.pk}"
    assert message.ref.startswith("order.ordertransition:")

    page = client.get(reverse("admin:order_order_change", args=[order.pk]))
    assert message.subject in page.content.decode()
    listing = client.get(
        reverse("admin:core_outboxmessage_changelist"), {"about": outbox_ref(order)}
    )
    assert listing.status_code == 200 and message.subject in listing.content.decode()

    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=30)
    response = client.post(
        reverse("admin:core_outboxmessage_changelist"),
        {"action": "retry", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 0)
    assert outbox.messages_send_due() == 1
    assert [m.subject for m in mail.outbox] == [message.subject]


@pytest.mark.django_db
def test_a_batch_mixing_keyed_and_plain_messages_queues_both_on_commit(
    django_capture_on_commit_callbacks,
):
    """Given one message with a dedupe key and one without, queued together,
    when the transaction commits, then the fast path is asked for both
    (neither waits for the beat sweep)."""
    from unittest import mock

    from core.outbox.services import outbox_message, outbox_queue

    messages = [
        outbox_message(channel="email", recipient="a@example.com", subject="plain"),
        outbox_message(channel="email", recipient="b@example.com", subject="k", dedupe_key="k:1"),
    ]
    with (
        mock.patch("core.outbox.services._enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        stored = outbox_queue(messages)
    [ids] = enqueue.call_args.args
    assert len(ids) == 2
    assert stored[0].pk in ids


@pytest.mark.django_db
def test_admin_list_names_what_a_message_is_about_and_its_kind_newest_first(client):
    """Given two orders told of their move, the outbox's list says "Order
    <number>" linked to the order's page (not "order.order:13"), filters by
    the renderer's label (not its code), lists the newest first, and the
    order's table of messages prints local time in Django's format."""
    from django.test import override_settings
    from django.utils import translation
    from django.utils.formats import date_format

    staff = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(staff)
    first = make_order(lines=[(make_product(stock=5), 1)])
    second = make_order(lines=[(make_product(stock=5), 1)])
    t.order_reserve(order_id=first.pk)
    t.order_reserve(order_id=second.pk)
    OutboxMessage.objects.filter(topic=outbox_ref(first)).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    with translation.override("en"):
        listing = client.get(reverse("admin:core_outboxmessage_changelist"))
    html = listing.content.decode()
    assert f"Order {second.number}" in html and f"Order {first.number}" in html
    assert html.index(f"Order {second.number}") < html.index(f"Order {first.number}")
    assert reverse("admin:order_order_change", args=[first.pk]) in html
    assert "order.order:" not in html
    assert "Order update" in html and ">order.transition<" not in html

    with translation.override("fr"):
        page = client.get("/admin/core/outboxmessage/?renderer=order.transition")
        assert page.status_code == 200 and "Suivi de commande" in page.content.decode()
        assert "Messages" in client.get("/admin/").content.decode()

    with override_settings(TIME_ZONE="Europe/Paris"), translation.override("en"):
        from core.outbox.admin import messages_table

        [message] = messages_about(second)
        local = timezone.localtime(message.created_at)
        table = str(messages_table(second))
        assert date_format(local, "DATETIME_FORMAT") in table
        assert message.created_at.strftime("%Y-%m-%d %H:%M") not in table


@pytest.mark.django_db
def test_about_link_shows_the_raw_reference_of_an_object_gone():
    from core.outbox.admin import about_link

    assert about_link("order.order:999999999") == "order.order:999999999"
    assert about_link("nothing.here:1") == "nothing.here:1"
    assert about_link("") == "–"


@pytest.mark.django_db
def test_a_message_that_failed_every_retry_is_in_the_admin_and_can_be_sent_again(
    client, monkeypatch
):
    """The dead letters: given a provider that refuses every try, the
    message ends "failed" after MAX_ATTEMPTS real attempts; staff find it
    under the failed filter with its last error, and the "retry" action
    sends it once the provider is back."""

    def refuse(message, content):
        raise ConnectionError("provider down for good")

    monkeypatch.setitem(delivery.CHANNELS, "email", refuse)
    message = queue_email(subject="Your invoice FA-2026-00001")
    for _ in range(outbox.MAX_ATTEMPTS):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        assert outbox.messages_send_due() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, outbox.MAX_ATTEMPTS)

    staff = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(staff)
    changelist = reverse("admin:core_outboxmessage_changelist")
    failed = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "Your invoice FA-2026-00001" in failed
    detail = client.get(reverse("admin:core_outboxmessage_change", args=[message.pk]))
    assert "provider down for good" in detail.content.decode()

    monkeypatch.undo()
    response = client.post(changelist, {"action": "retry", "_selected_action": [message.pk]})
    assert response.status_code == 302
    assert outbox.messages_send_due() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m.subject for m in mail.outbox] == ["Your invoice FA-2026-00001"]


@pytest.mark.django_db
@pytest.mark.parametrize("interrupted_in", ["rendering", "delivering"])
def test_a_task_out_of_time_stops_the_batch_and_sends_nothing_twice(monkeypatch, interrupted_in):
    """Celery's soft time limit in the middle of a batch: the batch stops
    (the rest waits for the next run); a message interrupted while rendering
    waits as it was; one interrupted while delivering may have gone out, so
    it stays "sending" for the sweep to hand to staff."""
    from celery.exceptions import SoftTimeLimitExceeded

    first, second = queue_email(subject="first"), queue_email(subject="second")

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    if interrupted_in == "rendering":
        monkeypatch.setattr(outbox, "message_content", out_of_time)
    else:
        monkeypatch.setitem(delivery.CHANNELS, "email", out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        outbox.messages_send_due()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, second.attempts) == (Status.PENDING, 0)
    if interrupted_in == "rendering":
        assert (first.status, first.attempts) == (Status.PENDING, 0)
    else:
        assert (first.status, first.attempts) == (Status.SENDING, 1)
    assert mail.outbox == []


def test_every_task_has_time_limits_and_the_pdf_sender_more():
    from shop.celery import app

    app.loader.import_default_modules()
    assert (app.conf.task_soft_time_limit, app.conf.task_time_limit) == (120, 180)
    sender = app.tasks["core.outbox.tasks.outbox_send"]
    assert (sender.soft_time_limit, sender.time_limit) == (300, 360)
    assert sender.soft_time_limit > app.conf.task_soft_time_limit
    renderer = app.tasks["billing.documents.tasks.document_render"]
    assert (renderer.soft_time_limit, renderer.time_limit) == (300, 360)

"""The two old outboxes move into the one (order 0026, billing 0003): the
messages still pending or failed are copied with what they are about; sent
ones stay history and are not copied."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# Found by name, whatever number they get when branches merge.
MOVES = {"order": "_notifications_to_outbox", "billing": "_document_emails_to_outbox"}


def moves_and_parents():
    graph = MigrationExecutor(connection).loader.graph
    moves = [
        next(key for key in graph.nodes if key[0] == app and key[1].endswith(suffix))
        for app, suffix in MOVES.items()
    ]
    parents = {parent.key for key in moves for parent in graph.node_map[key].parents}
    return moves, sorted(parents)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_pending_and_failed_messages_move_to_the_outbox(back_to_latest):
    moves, before = moves_and_parents()
    old = migrate(before)
    Order = old.get_model("order", "Order")
    Transition = old.get_model("order", "OrderTransition")
    Notification = old.get_model("order", "Notification")
    Document = old.get_model("billing", "Document")
    DocumentEmail = old.get_model("billing", "DocumentEmail")
    order = Order.objects.create(
        number="M1", total_incl_tax=0, total_excl_tax=0, date_placed=timezone.now()
    )
    move = Transition.objects.create(
        order=order, from_status="new", to_status="reserved", source="x"
    )
    Notification.objects.create(
        order=order,
        transition=move,
        channel="email",
        recipient="a@example.com",
        subject="Order M1: reserved",
        dedupe_key="transition:1:email",
        status="pending",
    )
    Notification.objects.create(
        order=order,
        channel="sms",
        recipient="+33600000000",
        body_text="Hi",
        dedupe_key="sms:1",
        status="failed",
        attempts=30,
        last_error="down",
    )
    Notification.objects.create(
        order=order,
        channel="email",
        recipient="a@example.com",
        body_text="old",
        dedupe_key="sent:1",
        status="sent",
    )
    document = Document.objects.create(
        kind="invoice",
        number="FA-1",
        year=2026,
        sequence_number=1,
        date=timezone.localdate(),
        language="fr",
        order=order,
        data={},
        pdf=b"%PDF-",
        sha256="0" * 64,
        total_excl_tax=0,
        total_vat=0,
        total_incl_tax=0,
    )
    DocumentEmail.objects.create(document=document, recipient="b@example.com", duplicate=True)

    new = migrate(moves)
    OutboxMessage = new.get_model("core", "OutboxMessage")
    rows = {row.recipient + row.channel: row for row in OutboxMessage.objects.all()}
    assert len(rows) == 3  # the sent one stays behind
    move_email = rows["a@example.comemail"]
    assert (move_email.renderer, move_email.payload, move_email.topic, move_email.ref) == (
        "order.transition",
        {"transition_id": move.pk},
        f"order.order:{order.pk}",
        f"order.ordertransition:{move.pk}",
    )
    sms = rows["+33600000000sms"]
    assert (sms.status, sms.attempts, sms.body_text, sms.renderer) == ("failed", 30, "Hi", "")
    invoice = rows["b@example.comemail"]
    assert (invoice.renderer, invoice.payload, invoice.topic, invoice.ref) == (
        "billing.document",
        {"document_id": document.pk, "duplicate": True},
        f"order.order:{order.pk}",
        f"billing.document:{document.pk}",
    )

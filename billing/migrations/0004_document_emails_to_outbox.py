"""Document emails move to the one outbox (core.OutboxMessage): the emails
still pending or failed are copied (sent ones are history only), then the
old table goes."""

from django.db import migrations


def move_to_outbox(apps, schema_editor):
    DocumentEmail = apps.get_model("billing", "DocumentEmail")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    rows = (
        DocumentEmail.objects.filter(status__in=["pending", "failed"])
        .select_related("document")
        .defer("document__pdf", "document__data")
        .order_by("pk")
    )
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                channel="email",
                recipient=row.recipient,
                renderer="billing.document",
                payload={"document_id": row.document_id, "duplicate": row.duplicate},
                topic=(
                    f"order.order:{row.document.order_id}"
                    if row.document.order_id
                    else f"billing.document:{row.document_id}"
                ),
                ref=f"billing.document:{row.document_id}",
                created_by_id=row.requested_by_id,
                status=row.status,
                attempts=row.attempts,
                last_error=row.last_error,
                created_at=row.created_at,
            )
            for row in rows.iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_document_immutable_trigger"),
        ("core", "0001_outbox"),
    ]

    operations = [
        migrations.RunPython(move_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="DocumentEmail"),
    ]

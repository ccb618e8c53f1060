"""Orders' notifications move to the one outbox (core.OutboxMessage): the
messages still pending or failed are copied (sent ones are history only),
then the old table goes."""

from django.db import migrations


def move_to_outbox(apps, schema_editor):
    Notification = apps.get_model("order", "Notification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    rows = Notification.objects.filter(status__in=["pending", "failed"]).order_by("pk")
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                channel=row.channel,
                recipient=row.recipient,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
                # A move's message was rendered when sent, from the move.
                renderer="order.transition" if row.transition_id and not row.body_text else "",
                payload={"transition_id": row.transition_id} if row.transition_id else {},
                topic=f"order.order:{row.order_id}" if row.order_id else "",
                ref=f"order.ordertransition:{row.transition_id}" if row.transition_id else "",
                dedupe_key=row.dedupe_key,
                status=row.status,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at,
                last_error=row.last_error,
                created_at=row.created_at,
            )
            for row in rows.iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0025_line_num_awaited"),
        ("core", "0001_outbox"),
    ]

    operations = [
        migrations.RunPython(move_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]

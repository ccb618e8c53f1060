"""Quote-request events take the audit trail's shape (core.audit.StateChange):
``from_state``/``to_state`` are called ``from_status``/``to_status`` in
Python; the columns keep their names, so the database does not change."""

from django.db import migrations, models


STATES = [
    ("submitted", "Submitted"),
    ("researching", "Researching"),
    ("quoted", "Quoted"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("expired", "Expired"),
    ("ordered", "Ordered"),
]


def state_field(label, column):
    return models.CharField(
        choices=STATES, max_length=16, verbose_name=label, db_column=column
    )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0003_quote_request_organisation_details")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("quoterequestevent", "from_state", "from_status"),
                migrations.RenameField("quoterequestevent", "to_state", "to_status"),
                migrations.AlterField(
                    "quoterequestevent", "from_status", state_field("from", "from_state")
                ),
                migrations.AlterField(
                    "quoterequestevent", "to_status", state_field("to", "to_state")
                ),
            ],
            database_operations=[],
        )
    ]

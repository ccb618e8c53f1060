"""The database itself refuses to change or delete an issued document.

The model and its queryset already refuse (billing.models.documents), but a
raw UPDATE, a shell or another program reaches the table directly: these
triggers (core.immutable, on PostgreSQL and SQLite) make the number, the
amounts, the data and the PDF of an issued document unchangeable, and its
row undeletable, whoever connects. What happens to a document afterwards
(Chorus Pro status, flow number, deposit time) stays writable.

PostgreSQL's TRUNCATE (what Django's test flush runs there) fires no row
trigger; on SQLite, where the flush is a DELETE, tests/conftest.py lifts
the delete triggers for the flush only.
"""

from django.db import migrations

from core.immutable import FrozenRows, Rule

DOCUMENT = FrozenRows(
    table="billing_document",
    what="an issued document",
    rules=(
        # The columns that say what the document is and what it states.
        Rule(
            columns=(
                "kind",
                "number",
                "year",
                "sequence_number",
                "date",
                "data",
                "pdf",
                "sha256",
                "total_excl_tax",
                "total_vat",
                "total_incl_tax",
                "currency",
                "is_facturx",
                "refers_to_id",
            )
        ),
    ),
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_documents")]

    operations = [DOCUMENT.operation()]

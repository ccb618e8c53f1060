"""An issued document's PDF is rendered after the issuing commits: the row
is written with an empty PDF and checksum, filled once just after
(billing.documents.services.document_pdf_render).

The trigger of 0003 is declared again (core.immutable replaces it, same
names): every column frozen as before, except the PDF and its checksum,
which are frozen once the checksum is filled. An empty PDF may be filled
once; a filled one never changes, nor is emptied again. A partial index
finds the documents still to render (the beat job's sweep) without reading
the table.
"""

from django.db import migrations, models

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
                "total_excl_tax",
                "total_vat",
                "total_incl_tax",
                "currency",
                "is_facturx",
                "refers_to_id",
            )
        ),
        # Its file, once rendered.
        Rule(columns=("pdf", "sha256"), when="OLD.sha256 <> ''"),
    ),
)

# The rule of 0003, put back when this migration is reversed.
PREVIOUS = FrozenRows(
    table=DOCUMENT.table,
    what=DOCUMENT.what,
    rules=(Rule(columns=(*DOCUMENT.rules[0].columns, "pdf", "sha256")),),
)


def forwards(apps, schema_editor):
    DOCUMENT.install(schema_editor)


def backwards(apps, schema_editor):
    PREVIOUS.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_payment_immutable_trigger")]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("sha256", "")), fields=["id"], name="document_to_render"
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""The database itself refuses to change or delete an issued document.

The model and its queryset already refuse (billing.models.documents), but a
raw UPDATE, a shell or another program reaches the table directly: these
triggers make the number, the amounts, the data and the PDF of an issued
document unchangeable, and its row undeletable, whoever connects. What
happens to a document afterwards (Chorus Pro status, flow number, deposit
time) stays writable.

PostgreSQL's TRUNCATE (what Django's test flush runs there) fires no row
trigger; on SQLite, where the flush is a DELETE, tests/conftest.py lifts
the trigger for the flush only.
"""

from django.db import migrations

# The columns that say what the document is and what it states.
FROZEN_COLUMNS = (
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
MESSAGE = "an issued document cannot be changed or deleted (billing_document)"

_changed_pg = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN_COLUMNS)
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION billing_document_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR ({_changed_pg}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_document_immutable
    BEFORE UPDATE OR DELETE ON billing_document
    FOR EACH ROW EXECUTE FUNCTION billing_document_immutable();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS billing_document_immutable ON billing_document;
DROP FUNCTION IF EXISTS billing_document_immutable();
"""

_changed_sqlite = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)
SQLITE_UPDATE = f"""
CREATE TRIGGER billing_document_no_update BEFORE UPDATE ON billing_document
FOR EACH ROW WHEN {_changed_sqlite}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_DELETE = f"""
CREATE TRIGGER billing_document_no_delete BEFORE DELETE ON billing_document
FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE)
        schema_editor.execute(SQLITE_DELETE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS billing_document_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS billing_document_no_delete")


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_documents")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

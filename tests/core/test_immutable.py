"""Every frozen table has its triggers after all migrations, on the database
the suite runs on (SQLite rebuilds a table to alter it, which drops its
triggers: a later migration that forgets to put them back fails here)."""

import importlib

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

SPECS = [
    ("billing.migrations.0003_document_immutable_trigger", "DOCUMENT"),
    ("billing.migrations.0006_payment_immutable_trigger", "PAYMENT"),
    ("billing.migrations.0007_document_pdf_filled_once", "DOCUMENT"),
]


def installed_triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return set(cursor.fetchall())


@pytest.mark.parametrize(("module", "name"), SPECS)
def test_every_frozen_table_has_its_triggers(module, name):
    spec = getattr(importlib.import_module(module), name)
    expected = {(spec.table, trigger) for trigger in spec.trigger_names(connection.vendor)}
    assert expected and expected <= installed_triggers()


def test_the_two_vendors_get_the_same_rules():
    """One spec writes both: each rule's columns and condition appear in the
    PostgreSQL function and in the SQLite trigger."""
    payment = importlib.import_module(SPECS[1][0]).PAYMENT
    pg, sqlite = "\n".join(payment.postgresql()), "\n".join(payment.sqlite())
    for rule in payment.rules:
        assert rule.when in pg and rule.when in sqlite
        for column in rule.columns:
            assert f"NEW.{column} IS DISTINCT FROM OLD.{column}" in pg
            assert f"NEW.{column} IS NOT OLD.{column}" in sqlite
    assert payment.message in pg and payment.message in sqlite

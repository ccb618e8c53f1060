import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty fragment caches."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test-client request to /en/ leaves English active in the test thread
    (the locale middleware activates it, nothing deactivates it): put the
    default back, so the next test reverses URLs in French."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_document_trigger():
    """Issued documents cannot be deleted, even by the database's own user
    (billing migration 0003). PostgreSQL's flush is a TRUNCATE, which fires
    no row trigger; SQLite's is a DELETE per table: for the flush between
    transactional tests only, the delete trigger is dropped and put back."""
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseOperations

    migration = importlib.import_module("billing.migrations.0003_document_immutable_trigger")
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        sql = original(self, style, tables, **kwargs)
        if "billing_document" not in tables:
            return sql
        return [
            "DROP TRIGGER IF EXISTS billing_document_no_delete;",
            *sql,
            migration.SQLITE_DELETE.strip(),
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original

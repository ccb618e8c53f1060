import pytest
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck, settings

# A property is judged by what it finds, not by how fast the machine makes its
# inputs: on a loaded CI runner generation may be slow, which is no failure.
settings.register_profile("comptoir", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("comptoir")


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
def _flush_past_the_ledger_triggers():
    """Issued documents and the payment ledger cannot be deleted, even by the
    database's own user (core.immutable, billing migrations 0003 and 0006).
    PostgreSQL's flush is a TRUNCATE, which fires no row trigger; SQLite's is
    a DELETE per table: for the flush between transactional tests only, the
    delete triggers of the flushed tables are dropped and put back as the
    database holds them."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        sql = original(self, style, tables, **kwargs)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\'"
            )
            triggers = [
                (name, create) for name, table, create in cursor.fetchall() if table in tables
            ]
        if not triggers:
            return sql
        drops = [f"DROP TRIGGER IF EXISTS {name};" for name, _ in triggers]
        return [*drops, *sql, *(f"{create};" for _, create in triggers)]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original

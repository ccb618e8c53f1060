"""Trigram indexes for ``icontains`` searches, made by migrations on
PostgreSQL only.

Django's ``icontains`` is ``UPPER(column::text) LIKE UPPER('%word%')``: no
B-tree helps, and over a million rows it is a scan. A GIN index of the
trigrams of ``UPPER(column)`` (PostgreSQL's pg_trgm extension) answers it.
SQLite, the embedded default, has no such index: there the operation does
nothing, and the searches scan, as they did (bench/README.md says which
searches use which index, with their EXPLAIN).
"""

from typing import Any

from django.db import migrations


def trigram_index(*, name: str, table: str, column: str) -> migrations.RunPython:
    """The migration operation adding the index ``name`` on ``UPPER(column)``
    of ``table`` (with ``CONCURRENTLY``: the migration must say
    ``atomic = False``; writes go on while it builds)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" '
            f'ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards)

"""Rows the database itself refuses to change: the one mechanism behind the
ledger's immutability (issued documents, settled payments and refunds).

A model and its queryset can refuse a change, but a raw UPDATE, a shell or
another program reaches the table directly. ``FrozenRows`` describes which
columns of which rows are final, and writes the triggers that refuse to
change them (and to delete the row) on the two databases the shop runs on:
PostgreSQL (a PL/pgSQL function and a row trigger) and SQLite (the bare
``make test`` and ``make run``; two triggers with a ``WHEN`` clause). A
migration installs them with ``FrozenRows(...).operation()``; the spec is
written out in the migration itself, so that a later change of the rule is a
new migration, not a rewritten history.

Each refusal raises an integrity error (SQLSTATE 23000 on PostgreSQL,
SQLITE_CONSTRAINT on SQLite) whose text carries ``MARKER``; a model that
refuses first raises ``FrozenRowError``. ``FrozenRowMiddleware`` turns
either, raised in the admin, into a message for staff instead of a server
error.

SQLite rebuilds a table to alter most columns (Django's schema editor copies
it into a new one), which drops its triggers: a migration that alters a
frozen table must install its triggers again (``tests/core/test_immutable.py``
checks that every trigger is there after all migrations).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, migrations
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from core.http_guard import in_staff_area

# In every refusal's text (and in the documents' trigger of billing 0003).
logger = logging.getLogger(__name__)

MARKER = "cannot be changed or deleted ("


@dataclass(frozen=True)
class Rule:
    """While ``when`` holds of the old row (SQL over ``OLD``, the same on
    both databases; empty: always), its ``columns`` cannot change."""

    columns: tuple[str, ...]
    when: str = ""


@dataclass(frozen=True)
class FrozenRows:
    """The final rows of ``table``: ``rules`` say what cannot change;
    ``delete_when`` when the row cannot be deleted (SQL over ``OLD``; empty:
    never deletable; None: deletable)."""

    table: str
    rules: tuple[Rule, ...]
    what: str
    delete_when: str | None = ""

    # --- names ---------------------------------------------------------------

    @property
    def message(self) -> str:
        return f"{self.what} {MARKER}{self.table})"

    @property
    def pg_name(self) -> str:
        return f"{self.table}_immutable"

    @property
    def sqlite_update_name(self) -> str:
        return f"{self.table}_no_update"

    @property
    def sqlite_delete_name(self) -> str:
        return f"{self.table}_no_delete"

    def trigger_names(self, vendor: str) -> tuple[str, ...]:
        if vendor == "postgresql":
            return (self.pg_name,)
        names = (self.sqlite_update_name,)
        return names if self.delete_when is None else (*names, self.sqlite_delete_name)

    # --- SQL -----------------------------------------------------------------

    def _changed(self, distinct: str) -> str:
        parts = []
        for rule in self.rules:
            changed = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in rule.columns)
            parts.append(f"(({rule.when}) AND ({changed}))" if rule.when else f"({changed})")
        return " OR ".join(parts)

    @property
    def _pg_raise(self) -> str:
        code = "integrity_constraint_violation"
        return f"RAISE EXCEPTION '{self.message}' USING ERRCODE = '{code}';"

    def postgresql(self) -> list[str]:
        if self.delete_when is None:
            on_delete = "RETURN OLD;"
        else:
            refuse = self._pg_raise
            on_delete = (
                f"IF {self.delete_when} THEN {refuse} END IF; RETURN OLD;"
                if self.delete_when
                else refuse
            )
        return [
            f"""
CREATE OR REPLACE FUNCTION {self.pg_name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {on_delete}
    END IF;
    IF {self._changed("IS DISTINCT FROM")} THEN
        {self._pg_raise}
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
            f"DROP TRIGGER IF EXISTS {self.pg_name} ON {self.table};",
            f"""
CREATE TRIGGER {self.pg_name}
    BEFORE UPDATE OR DELETE ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {self.pg_name}();""",
        ]

    def postgresql_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.pg_name} ON {self.table};",
            f"DROP FUNCTION IF EXISTS {self.pg_name}();",
        ]

    def sqlite(self) -> list[str]:
        statements = [
            f"DROP TRIGGER IF EXISTS {self.sqlite_update_name};",
            f"""
CREATE TRIGGER {self.sqlite_update_name} BEFORE UPDATE ON {self.table}
FOR EACH ROW WHEN {self._changed("IS NOT")}
BEGIN SELECT RAISE(ABORT, '{self.message}'); END;""",
        ]
        if self.delete_when is not None:
            when = f" WHEN {self.delete_when}" if self.delete_when else ""
            statements += [
                f"DROP TRIGGER IF EXISTS {self.sqlite_delete_name};",
                f"""
CREATE TRIGGER {self.sqlite_delete_name} BEFORE DELETE ON {self.table}
FOR EACH ROW{when} BEGIN SELECT RAISE(ABORT, '{self.message}'); END;""",
            ]
        return statements

    def sqlite_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.sqlite_update_name};",
            f"DROP TRIGGER IF EXISTS {self.sqlite_delete_name};",
        ]

    # --- migration -----------------------------------------------------------

    def install(self, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        statements = {"postgresql": self.postgresql, "sqlite": self.sqlite}.get(vendor)
        for sql in statements() if statements else ():
            schema_editor.execute(sql)

    def uninstall(self, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        statements = {"postgresql": self.postgresql_reverse, "sqlite": self.sqlite_reverse}.get(
            vendor
        )
        for sql in statements() if statements else ():
            schema_editor.execute(sql)

    def operation(self) -> migrations.RunPython:
        """The migration operation installing (and, backwards, removing) the triggers."""
        return migrations.RunPython(self._forwards, self._backwards, elidable=False)

    def _forwards(self, apps: Any, schema_editor: Any) -> None:
        self.install(schema_editor)

    def _backwards(self, apps: Any, schema_editor: Any) -> None:
        self.uninstall(schema_editor)


class FrozenRowError(Exception):
    """Raised by a model or queryset that refuses, before the database does,
    to change a final row (billing.models.ImmutableDocumentError)."""


def is_frozen_row_error(exc: BaseException) -> bool:
    """A refusal to change a final row: the model's, or the database's."""
    return isinstance(exc, FrozenRowError) or (
        isinstance(exc, IntegrityError) and MARKER in str(exc)
    )


class FrozenRowMiddleware:
    """Staff who try to change a final row from the admin or the dashboard
    (a form, an action) get a message and the page again, not a server
    error; the change was refused and its transaction rolled back. Anyone
    else, anywhere else, gets the error as it is: no customer's request
    should ever reach a final row, so one that does is a bug to see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not is_frozen_row_error(exception) or not getattr(user, "is_staff", False):
            return None
        if not in_staff_area(request):
            return None
        logger.warning(
            "The database refused to change a final row: %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        messages.error(
            request,
            _(
                "This record is final: the database refuses to change or delete it. "
                "Make the correction as a new record (a refund, a payment, a credit note)."
            ),
        )
        return HttpResponseRedirect(request.get_full_path())

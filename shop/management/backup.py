"""Backing up and restoring the shop: its database and its files.

A backup is one dated folder under ``COMPTOIR_BACKUP_DIR`` (default
``var/backups``), ``comptoir-YYYYMMDD-HHMMSS``, holding:

- ``database.pgdump``: PostgreSQL's custom format (``pg_dump -Fc``: schema,
  data, the ledger's triggers), or ``database.sqlite3``: a consistent copy
  of the SQLite file made with SQLite's online backup;
- ``files.tar.gz``: the customers' private files (``COMPTOIR_PRIVATE_ROOT``,
  under ``private/``) and the media (``MEDIA_ROOT``, under ``media/``);
- ``manifest.json``: when, which database, the SHA-256 of both files and
  how many orders, documents and payments the database held.

Restoring checks the checksums, then loads the database into an EMPTY one
(a new PostgreSQL database, or a SQLite file that does not exist yet: it
refuses to write over data) and unpacks the files into the two folders.
The commands are ``manage.py backup`` and ``manage.py restore`` (``make
backup``, ``make restore FROM=...``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
FILES = "files.tar.gz"
MANIFEST = "manifest.json"
# What the manifest counts, to compare after a restore.
COUNTED = ("order_order", "billing_document", "billing_payment")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """Where a backup is read from or restored to."""

    database: Mapping[str, Any]  # a Django DATABASES entry
    media_root: Path
    private_root: Path

    @property
    def vendor(self) -> str:
        engine = self.database["ENGINE"]
        if "postgresql" in engine:
            return "postgresql"
        if "sqlite3" in engine:
            return "sqlite"
        raise BackupError(f"Backups handle PostgreSQL and SQLite, not {engine}.")


# --- PostgreSQL -------------------------------------------------------------------


def _pg_args(db: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    try:
        # The command is ours (pg_dump, pg_restore); the arguments come from settings.
        result = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, timeout=3600
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _pg_connect(db: Mapping[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


# --- Both databases ------------------------------------------------------------------


def _query(target: Target, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on the target's database, through its own connection
    (not Django's: a restore goes into another database than the one served)."""
    if target.vendor == "postgresql":
        with _pg_connect(target.database) as conn:
            return list(conn.execute(sql).fetchall())
    path = Path(target.database["NAME"])
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return list(conn.execute(sql).fetchall())


def _tables(target: Target) -> set[str]:
    sql = (
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        if target.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row[0] for row in _query(target, sql)}


def counts(target: Target) -> dict[str, int]:
    """How many orders, documents and payments the target's database holds."""
    present = _tables(target)
    return {
        table: int(_query(target, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608
        for table in COUNTED
        if table in present
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------


def backup_create(*, source: Target, root: Path, now: datetime | None = None) -> Path:
    """Write a dated backup folder under ``root`` and return it."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(root) / f"comptoir-{stamp}"
    if folder.exists():
        raise BackupError(f"{folder} exists already.")
    folder.mkdir(parents=True)
    try:
        dump = folder / DUMPS[source.vendor]
        if source.vendor == "postgresql":
            args, env = _pg_args(source.database)
            dump_options = ["--format=custom", "--no-owner", "--no-privileges"]
            _run(["pg_dump", *dump_options, "--file", str(dump), *args], env)
        else:
            with (
                sqlite3.connect(Path(source.database["NAME"])) as src,
                sqlite3.connect(dump) as dest,
            ):
                src.backup(dest)
        # Links (Oscar's placeholder picture) are stored as the files they point to.
        with tarfile.open(folder / FILES, "w:gz", dereference=True) as archive:
            for name, root_dir in (("private", source.private_root), ("media", source.media_root)):
                if Path(root_dir).is_dir():
                    archive.add(str(root_dir), arcname=name)
        manifest = {
            "created_at": timezone.localtime(now or timezone.now()).isoformat(),
            "database": source.vendor,
            "files": {p.name: _sha256(p) for p in (dump, folder / FILES)},
            "counts": counts(source),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


# --- Restore ------------------------------------------------------------------------


def backup_restore(*, folder: Path, target: Target) -> dict[str, Any]:
    """Restore the backup in ``folder`` into ``target``, whose database must
    be empty; returns the manifest. The checksums are checked first."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} has no {MANIFEST}: not a Comptoir backup.") from exc
    if manifest["database"] != target.vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']} database; the target is {target.vendor}."
        )
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} does not match its checksum: not restoring.")
    if _tables(target):
        raise BackupError("The target database is not empty: restore into a new database.")
    dump = folder / DUMPS[target.vendor]
    if target.vendor == "postgresql":
        args, env = _pg_args(target.database)
        restore_options = ["--no-owner", "--no-privileges", "--exit-on-error"]
        _run(["pg_restore", *restore_options, "--single-transaction", *args, str(dump)], env)
    else:
        path = Path(target.database["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(dump) as src, sqlite3.connect(path) as dest:
            src.backup(dest)
    with tarfile.open(folder / FILES, "r:gz") as archive:
        for name, root_dir in (("private", target.private_root), ("media", target.media_root)):
            members = [
                m.replace(name=m.name.removeprefix(f"{name}/"))
                for m in archive.getmembers()
                if m.name.startswith(f"{name}/")
            ]
            Path(root_dir).mkdir(parents=True, exist_ok=True)
            archive.extractall(root_dir, members=members, filter="data")
    return dict(manifest)

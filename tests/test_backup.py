"""`make backup` / `make restore` (shop/management/backup.py): a restore of a
backup into an empty database gives the same orders, documents, payments and
files, with the ledger still immutable. On PostgreSQL (CI, DATABASE_URL) it
goes through pg_dump and pg_restore into a new database; on SQLite (the bare
`make test`) through SQLite's online backup into a new file: the same code,
each database's own tools."""

import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from billing.models import Document, Payment
from billing.payments import services as payments
from orders.models import Order
from orders.services import transitions as t
from shop.management.backup import MANIFEST, BackupError, Target, backup_restore, counts
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db(transaction=True)


def the_shop():
    """Orders (one shipped with its invoice, one paid by cheque and partly
    refunded), a customer's private file and a product picture."""
    shipped = make_order(
        lines=[(make_product("Resistor", price="0.50", stock=100), 10)],
        payment_method="card",
        paid_at=timezone.now(),
        status="picking",
    )
    t.order_ship(order_id=shipped.pk, pickup=True)
    cheque = make_order(lines=[(make_product("Scope", price="300.00", stock=2), 1)])
    t.order_reserve(order_id=cheque.pk)
    paid = payments.record_payment(order_id=cheque.pk, amount=Decimal("360.00"), method="cheque")
    payments.refund_payment(payment_id=paid.pk, amount=Decimal("10.00"))
    files = {
        Path(settings.COMPTOIR_PRIVATE_ROOT)
        / "quotes"
        / "DD26-00001"
        / "plan.pdf": b"%PDF-1.7 plan",
        Path(settings.MEDIA_ROOT) / "images" / "products" / "scope.png": b"\x89PNG scope",
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def snapshot_here():
    return {
        "orders": sorted(Order.objects.values_list("number", "status", "total_incl_tax")),
        "documents": sorted(
            (d.number, d.sha256, hashlib.sha256(bytes(d.pdf)).hexdigest())
            for d in Document.objects.all()
        ),
        "payments": sorted(Payment.objects.values_list("kind", "amount", "status", "method")),
    }


def snapshot_of(query):
    return {
        "orders": sorted(query("SELECT number, status, total_incl_tax FROM order_order")),
        "documents": sorted(
            (number, sha, hashlib.sha256(bytes(pdf)).hexdigest())
            for number, sha, pdf in query("SELECT number, sha256, pdf FROM billing_document")
        ),
        "payments": sorted(query("SELECT kind, amount, status, method FROM billing_payment")),
    }


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database beside the test one: a new PostgreSQL database on
    the same server, or a new SQLite file. Yields (settings entry, query)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        database = {**source, "NAME": str(tmp_path / "restored.sqlite3")}

        def query(sql):
            with sqlite3.connect(database["NAME"]) as conn:
                rows = conn.execute(sql).fetchall()
            # SQLite gives decimals back as floats or text: compare as Decimal.
            return [
                tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row) for row in rows
            ]

        yield database, query
        return
    import psycopg

    name = f"{source['NAME']}_restore"
    admin = {k: source.get(k.upper()) or None for k in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    database = {**source, "NAME": name}

    def query(sql):
        with psycopg.connect(dbname=name, **admin) as conn:
            return conn.execute(sql).fetchall()

    yield database, query
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_the_same_orders_documents_and_files(
    tmp_path, fresh_database
):
    """Given a shop with orders, an invoice, payments, a refund and files,
    when `manage.py backup` runs and its folder is restored into a new
    database and new folders, then the restored shop has the same orders,
    documents (byte for byte), payments and files, and its ledger still
    refuses a change."""
    files = the_shop()
    before = snapshot_here()
    assert before["documents"] and len(before["payments"]) == 2

    call_command("backup", "--to", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("comptoir-")

    database, query = fresh_database
    restored = tmp_path / "restored"
    call_command(
        "restore",
        str(folder),
        "--database-url",
        url_of(database),
        "--media-root",
        str(restored / "media"),
        "--private-root",
        str(restored / "private"),
    )
    assert snapshot_of(query) == before
    for path, content in files.items():
        root = "private" if str(path).startswith(str(settings.COMPTOIR_PRIVATE_ROOT)) else "media"
        base = settings.COMPTOIR_PRIVATE_ROOT if root == "private" else settings.MEDIA_ROOT
        assert (restored / root / path.relative_to(base)).read_bytes() == content

    target = Target(database=database, media_root=restored, private_root=restored)
    assert counts(target) == {"order_order": 2, "billing_document": 1, "billing_payment": 2}
    with pytest.raises(Exception, match="cannot be changed or deleted"):
        query("UPDATE billing_document SET total_incl_tax = 0")

    # A second restore into the same (now full) database is refused.
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(folder=folder, target=target)


def test_a_tampered_backup_is_not_restored(tmp_path, fresh_database):
    the_shop()
    call_command("backup", "--to", str(tmp_path))
    [folder] = [p for p in tmp_path.iterdir() if (p / MANIFEST).exists()]
    with (folder / "files.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    database, query = fresh_database
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(folder), "--database-url", url_of(database))
    assert query("SELECT 1") == [(1,)]  # the database is still empty but there


def url_of(database):
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user, host = database.get("USER") or "postgres", database.get("HOST") or "127.0.0.1"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{database.get('PORT') or 5432}/{database['NAME']}"

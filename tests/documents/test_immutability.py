"""Issued documents are immutable in the database itself, their stored
PDF is checked against its checksum whenever it is served, and the Chorus
Pro export hands each file over once, with a manifest."""

import hashlib
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from billing.documents import chorus
from billing.documents.exceptions import DocumentTampered
from billing.documents.services import document_pdf
from billing.models import Document
from orders.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(picking_order):
    """A shipped order's invoice, its PDF rendered and stored."""
    order = picking_order()
    t.order_ship(order_id=order.pk, pickup=True)
    invoice = Document.objects.get(order=order, kind="invoice")
    document_pdf(invoice)
    return invoice


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "assignment",
    [
        "total_incl_tax = total_incl_tax + 1",
        "total_vat = 0",
        "number = 'FA-2026-99999'",
        "sha256 = 'x'",
    ],
)
def test_database_refuses_a_raw_update_of_an_issued_invoice(invoice, assignment):
    """Given an issued invoice, when its number, an amount or its checksum
    is changed by raw SQL (no model, no queryset), then the database
    refuses, and the row is as issued."""
    with pytest.raises(IntegrityError, match="issued document"):
        raw(f"UPDATE billing_document SET {assignment} WHERE id = %s", [invoice.pk])
    stored = Document.objects.get(pk=invoice.pk)
    assert (stored.number, stored.total_incl_tax, stored.total_vat, stored.sha256) == (
        invoice.number,
        invoice.total_incl_tax,
        invoice.total_vat,
        invoice.sha256,
    )


def test_database_refuses_a_raw_update_of_the_pdf_and_a_delete(invoice):
    with pytest.raises(IntegrityError, match="issued document"):
        raw("UPDATE billing_document SET pdf = %s WHERE id = %s", [b"%PDF-forged", invoice.pk])
    with pytest.raises(IntegrityError, match="issued document"):
        raw("DELETE FROM billing_document WHERE id = %s", [invoice.pk])
    assert bytes(Document.objects.get(pk=invoice.pk).pdf) == bytes(invoice.pdf)


def test_database_lets_an_empty_pdf_be_filled_once_and_then_refuses(picking_order):
    """Given an invoice issued and not rendered yet, when its PDF and checksum
    are stored by raw SQL, then the database takes them once; a second fill,
    a change of the stored file or emptying it again is refused, and while
    empty every other column is as frozen as ever."""
    order = picking_order()
    t.order_ship(order_id=order.pk, pickup=True)
    invoice = Document.objects.get(order=order, kind="invoice")
    assert invoice.sha256 == ""
    with pytest.raises(IntegrityError, match="issued document"):
        raw("UPDATE billing_document SET total_vat = 0 WHERE id = %s", [invoice.pk])

    fill = "UPDATE billing_document SET pdf = %s, sha256 = %s WHERE id = %s"
    pdf = b"%PDF-1.7 first"
    raw(fill, [pdf, hashlib.sha256(pdf).hexdigest(), invoice.pk])
    for sql, params in [
        (fill, [b"%PDF-1.7 second", hashlib.sha256(b"%PDF-1.7 second").hexdigest()]),
        ("UPDATE billing_document SET pdf = %s WHERE id = %s", [b"%PDF-forged"]),
        ("UPDATE billing_document SET sha256 = %s WHERE id = %s", ["x"]),
        ("UPDATE billing_document SET pdf = %s, sha256 = %s WHERE id = %s", [b"", ""]),
    ]:
        with pytest.raises(IntegrityError, match="issued document"):
            raw(sql, [*params, invoice.pk])
    stored = Document.objects.get(pk=invoice.pk)
    assert (bytes(stored.pdf), stored.sha256) == (pdf, hashlib.sha256(pdf).hexdigest())


def test_what_happens_afterwards_stays_writable(invoice):
    """The Chorus Pro status and flow number are not part of the document."""
    raw(
        "UPDATE billing_document SET chorus_status = 'deposited', chorus_flux_id = 'F-1' "
        "WHERE id = %s",
        [invoice.pk],
    )
    assert Document.objects.get(pk=invoice.pk).chorus_flux_id == "F-1"


def forged_copy(document: Document) -> Document:
    """A row whose PDF is not the one its checksum was recorded for: what a
    change made behind the application's back (trigger lifted) leaves."""
    pdf = document_pdf(document)
    return Document.objects.create(
        kind=document.kind,
        number=document.number + "-X",
        year=document.year,
        sequence_number=document.sequence_number + 1000,
        date=document.date,
        language=document.language,
        customer=document.customer,
        data=document.data,
        pdf=pdf + b"% altered",
        sha256=document.sha256,
        total_excl_tax=document.total_excl_tax,
        total_vat=document.total_vat,
        total_incl_tax=document.total_incl_tax,
        is_facturx=document.is_facturx,
        chorus_status=document.chorus_status,
    )


@pytest.mark.parametrize("who", ["customer", "staff"])
def test_tampered_pdf_is_refused_with_a_clear_page_and_logged(
    client, customer, staff, invoice, caplog, who
):
    forged = forged_copy(invoice)
    client.force_login(customer if who == "customer" else staff)
    url = reverse("billing:document-download", kwargs={"number": forged.number})
    with caplog.at_level(logging.ERROR, logger="billing.documents.services"):
        response = client.get(url)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    assert "cannot be delivered" in response.content.decode()
    assert any(forged.number in record.getMessage() for record in caplog.records)
    # The intact one is served, byte for byte.
    intact = client.get(reverse("billing:document-download", kwargs={"number": invoice.number}))
    assert intact.status_code == 200 and intact.content == bytes(invoice.pdf)


def test_tampered_pdf_is_neither_duplicated_nor_exported(invoice, facturx_invoice, tmp_path):
    forged = forged_copy(facturx_invoice)
    with pytest.raises(DocumentTampered):
        document_pdf(forged, duplicate=True)
    with pytest.raises(DocumentTampered):
        chorus.chorus_export_folder(folder=tmp_path / "out", numbers=[forged.number])
    assert not (tmp_path / "out").exists()
    assert Document.objects.get(pk=forged.pk).chorus_status == "pending"


def test_chorus_export_twice_exports_each_file_once_with_a_manifest(facturx_invoice, tmp_path):
    """Given a Factur-X invoice waiting for Chorus Pro, when the export runs
    twice, then the first run writes it with a manifest naming its SHA-256,
    and the second writes nothing new; --again and --document export it again."""
    folder = tmp_path / "chorus"
    first = io.StringIO()
    call_command("chorus_export", str(folder), stdout=first)
    assert facturx_invoice.number in first.getvalue()
    document_pdf(facturx_invoice)  # what the export rendered and stored
    pdf = (folder / facturx_invoice.filename).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == facturx_invoice.sha256
    [manifest_file] = folder.glob("chorus-manifest-*.json")
    manifest = json.loads(manifest_file.read_text())
    assert manifest["count"] == 1
    [entry] = manifest["documents"]
    assert entry["number"] == facturx_invoice.number
    assert entry["sha256"] == facturx_invoice.sha256
    assert entry["file"] == facturx_invoice.filename
    assert entry["total_incl_tax"] == str(facturx_invoice.total_incl_tax)
    assert entry["service_code"] == "SERV-LMI-042"

    second_folder = tmp_path / "second"
    second = io.StringIO()
    call_command("chorus_export", str(second_folder), stdout=second)
    assert "Nothing new" in second.getvalue()
    assert not second_folder.exists()

    again = io.StringIO()
    call_command("chorus_export", str(second_folder), "--again", stdout=again)
    assert (second_folder / facturx_invoice.filename).exists()

    zip_path = tmp_path / "one.zip"
    call_command(
        "chorus_export", str(zip_path), "--document", facturx_invoice.number, stdout=io.StringIO()
    )
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == sorted([facturx_invoice.filename, "manifest.json"])
        assert json.loads(archive.read("manifest.json"))["documents"][0]["sha256"] == (
            facturx_invoice.sha256
        )


def test_staff_trying_to_change_a_document_in_the_admin_read_a_message(
    client, staff, invoice, monkeypatch
):
    """Given an admin that (by mistake) lets staff edit an invoice's total,
    when staff save it, then the refusal is a message and the page again,
    not a 500, and the invoice is as issued."""
    from billing.admin.documents import DocumentAdmin

    monkeypatch.setattr(DocumentAdmin, "has_change_permission", lambda self, r, o=None: True)
    editable = tuple(f for f in DocumentAdmin.readonly_fields if f != "total_incl_tax")
    monkeypatch.setattr(DocumentAdmin, "readonly_fields", editable)
    client.force_login(staff)
    url = reverse("admin:billing_document_change", args=[invoice.pk])
    response = client.post(url, {"total_incl_tax": "1.00"})
    assert response.status_code == 302 and response["Location"] == url
    assert "This record is final" in client.get(url).content.decode()
    assert Document.objects.get(pk=invoice.pk).total_incl_tax == invoice.total_incl_tax

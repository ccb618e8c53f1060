"""issue_document: numbered in its kind's sequence, rendered, stored with
its checksum, and never changed afterwards."""

import dataclasses
import datetime
import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from billing.documents.data import Kind
from billing.documents.services import document_data, document_pdf, issue_document
from billing.models import Document, DocumentSequence, ImmutableDocumentError

from .helpers import pdf_text, sample_data

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_kind_and_year():
    """Given nothing issued, when quotes, invoices and an invoice of another
    year are issued, then each kind counts on its own, per year."""
    first = issue_document(
        sample_data("quote"), source_label="procurement.quote", source_reference="Q1"
    )
    second = issue_document(sample_data("quote"))
    invoice = issue_document(sample_data("invoice"))
    next_year = issue_document(sample_data("invoice", date=datetime.date(2027, 1, 2)))
    assert [first.number, second.number] == ["DE-2026-00001", "DE-2026-00002"]
    assert invoice.number == "FA-2026-00001"
    assert next_year.number == "FA-2027-00001"
    assert first.source_label == "procurement.quote" and first.source_reference == "Q1"
    assert DocumentSequence.objects.get(kind="quote", year=2026).last_number == 2


def test_pdf_is_stored_with_its_checksum_and_data():
    document = issue_document(sample_data("invoice"), kind=Kind.INVOICE)
    pdf = bytes(document.pdf)
    assert pdf.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.number in pdf_text(pdf)
    assert str(document.total_incl_tax) == "97.50"
    assert document_data(document).number == document.number
    assert document_data(document).lines == sample_data().lines


def test_kind_must_match_the_data():
    from billing.documents.exceptions import DocumentError

    with pytest.raises(DocumentError):
        issue_document(sample_data("quote"), kind=Kind.INVOICE)
    assert not Document.objects.exists()


def test_builder_runs_inside_the_transaction():
    document = issue_document(lambda: sample_data("proforma"))
    assert document.number == "PF-2026-00001"


def test_issued_document_cannot_be_changed():
    """Given an issued invoice, when code changes it (save, update, delete),
    then it is refused and the stored row is unchanged."""
    document = issue_document(sample_data("invoice"))
    document.total_incl_tax = 1
    with pytest.raises(ImmutableDocumentError):
        document.save()
    with pytest.raises(ImmutableDocumentError):
        document.save(update_fields=["pdf"])
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=document.pk).update(number="FA-2026-99999")
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=document.pk).update(pdf=b"%PDF-forged")
    with pytest.raises(ImmutableDocumentError):
        Document.objects.bulk_update([document], ["total_incl_tax"])
    with pytest.raises(ImmutableDocumentError):
        document.delete()
    with pytest.raises(ImmutableDocumentError):
        Document.objects.all().delete()
    stored = Document.objects.get(pk=document.pk)
    assert str(stored.total_incl_tax) == "97.50" and stored.number == "FA-2026-00001"
    # What happens to it afterwards may be recorded.
    Document.objects.filter(pk=document.pk).update(chorus_status="deposited")


def test_duplicate_is_a_marked_copy_and_the_original_stays():
    document = issue_document(sample_data("invoice"))
    copy = document_pdf(document, duplicate=True)
    assert "DUPLICATA" in pdf_text(copy) or "DUPLICATE" in pdf_text(copy)
    assert document_pdf(document) == bytes(Document.objects.get(pk=document.pk).pdf)


def test_missing_legal_setting_is_a_configuration_error():
    """Given a legal field emptied in settings, then the system check fails
    at start (naming the field) and issuing refuses, instead of a PDF with
    a hole in it."""
    from django.conf import settings

    legal = {**settings.COMPTOIR_LEGAL, "iban": ""}
    with override_settings(COMPTOIR_LEGAL=legal):
        with pytest.raises(SystemCheckError, match=r"COMPTOIR_LEGAL\['iban'\]"):
            call_command("check")
        with pytest.raises(ImproperlyConfigured, match="iban"):
            issue_document(lambda: dataclasses.replace(sample_data("quote")))
    assert not Document.objects.exists()

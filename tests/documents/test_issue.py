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


def test_issuing_stores_the_data_and_the_pdf_is_rendered_and_stored_once_read():
    """Given an invoice just issued, its number, data and totals are stored
    and its PDF is not yet; when it is first read, then it is rendered from
    the data, stored with its checksum, and served as stored from then on."""
    document = issue_document(sample_data("invoice"), kind=Kind.INVOICE)
    assert str(document.total_incl_tax) == "97.50"
    assert document_data(document).number == document.number
    assert document_data(document).lines == sample_data().lines
    # What the PDF is rendered from is the data as built, number added.
    assert document_data(document) == sample_data().with_number(document.number)
    stored = Document.objects.get(pk=document.pk)
    assert (bytes(stored.pdf), stored.sha256) == (b"", "")

    pdf = document_pdf(Document.objects.get(pk=document.pk))
    assert pdf.startswith(b"%PDF-")
    assert document.number in pdf_text(pdf)
    stored = Document.objects.get(pk=document.pk)
    assert bytes(stored.pdf) == pdf and stored.sha256 == hashlib.sha256(pdf).hexdigest()
    # The instance read before the render gets the stored file, not a new render.
    assert document_pdf(document) == pdf and document.sha256 == stored.sha256


def test_issuing_asks_for_the_render_after_commit_and_the_task_stores_it(
    django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = issue_document(sample_data("invoice"))
    assert Document.objects.get(pk=document.pk).sha256 == ""
    for callback in callbacks:
        callback()
    stored = Document.objects.get(pk=document.pk)
    assert stored.sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert document.number in pdf_text(bytes(stored.pdf))


def test_broker_down_leaves_the_render_to_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Given the broker refuses the task, the issuing still commits and the
    beat job renders what is left, once."""
    from billing.documents import tasks

    def refused(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.document_render, "delay", refused)
    with django_capture_on_commit_callbacks(execute=True):
        first = issue_document(sample_data("invoice"))
        second = issue_document(sample_data("proforma"))
    assert "left to the sweep" in caplog.text
    assert set(Document.objects.filter(sha256="").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert tasks.document_render() == 2
    assert not Document.objects.filter(sha256="").exists()
    assert tasks.document_render() == 0


def test_a_document_that_fails_to_render_is_logged_and_the_others_rendered(monkeypatch, caplog):
    from billing.documents import rendering, services

    broken = issue_document(sample_data("quote"))
    fine = issue_document(sample_data("invoice"))
    render = rendering.render_pdf

    def render_pdf(data, **kwargs):
        if data.number == broken.number:
            raise ValueError("no font")
        return render(data, **kwargs)

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    assert services.documents_render_pending() == 1
    assert broken.number in caplog.text
    assert list(Document.objects.filter(sha256="").values_list("pk", flat=True)) == [broken.pk]
    assert Document.objects.get(pk=fine.pk).sha256


def test_of_two_renderers_racing_one_stores_and_the_other_serves_it(monkeypatch):
    """Given a document being rendered by two workers at once, when the
    other one stores its PDF first, then this one stores nothing and
    returns the stored PDF: one file per number, whoever renders."""
    from billing.documents import rendering
    from billing.documents.services import document_pdf_render

    document = issue_document(sample_data("invoice"))
    winner = b"%PDF-1.7 the other worker's"

    def render_pdf(data, **kwargs):
        Document.objects.filter(pk=document.pk).fill_pdf(winner)
        return b"%PDF-1.7 this worker's"

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    assert document_pdf_render(document=document) == winner
    assert document.sha256 == hashlib.sha256(winner).hexdigest()
    assert bytes(Document.objects.get(pk=document.pk).pdf) == winner
    assert Document.objects.filter(pk=document.pk).fill_pdf(b"%PDF-again") == 0


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
        Document.objects.filter(pk=document.pk).update(sha256="")
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=document.pk).fill_pdf(b"")
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

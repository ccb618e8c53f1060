"""Every kind renders in French and English, offline, with what the law
and the customer need to read on it."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from billing.documents.data import Kind
from billing.documents.rendering import OfflineFetchError, _url_fetcher, render_pdf

from .helpers import institution_buyer, pdf_text, person_buyer, sample_data, screenshot

TITLES = {
    Kind.QUOTE: "Quote",
    Kind.PROFORMA: "Proforma invoice",
    Kind.INVOICE: "Invoice",
    Kind.CREDIT_NOTE: "Credit note",
    Kind.DELIVERY_NOTE: "Delivery note",
}
PREFIX = {
    "quote": "DE",
    "proforma": "PF",
    "invoice": "FA",
    "credit_note": "AV",
    "delivery_note": "BL",
}
# sample_lines(): 10 × 0.125 + 20 × 0.25 = 6.25 at 20 %, 85.31 at 5.5 %.
TOTALS = {
    "fr": ("91,56 €", "1,25 €", "4,69 €", "97,50 €"),
    "en": ("€91.56", "€1.25", "€4.69", "€97.50"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", Kind.ALL)
def test_each_kind_renders_with_its_figures(kind, language):
    """Given a document of each kind, when rendered in a language, then its
    PDF carries the title, number, date, lines and (but for the delivery
    note) the VAT breakdown and totals formatted for that language."""
    number = f"{PREFIX[kind]}-2026-00042"
    data = sample_data(kind, language=language, number=number, reason="Returned goods")
    pdf = render_pdf(data)
    text = pdf_text(pdf)
    screenshot(pdf, f"{kind}-{language}")

    with translation.override(language):
        title = gettext(TITLES[kind])
    assert pdf.startswith(b"%PDF-")
    assert title.upper() in text
    assert number in text
    assert ("23/11/2026" if language == "fr" else "11/23/2026") in text
    assert "MFR-25FBF52-2K" in text
    total_excl, vat20, vat55, total_incl = TOTALS[language]
    if kind == Kind.DELIVERY_NOTE:
        assert total_incl not in text and total_excl not in text
    else:
        for figure in (total_excl, vat20, vat55, total_incl):
            assert figure in text
        assert ("5,5 %" if language == "fr" else "5.5%") in text
    # The institution's references are on every kind.
    assert "BC-2026-00871" in text
    assert "SERV-LMI-042" in text
    assert "19691774400019" in text
    # The seller's identity in the footer.
    assert "73282932000074" in text and "RCS Lyon 732 829 320" in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_business_invoice_carries_late_payment_mentions(language):
    """Given an invoice to a company, then it states the commercial
    late-payment penalties and the 40 € fixed recovery indemnity; a public
    body's states the public-procurement terms (ECB rate + 8 points); a
    private customer's invoice and any credit note state none."""
    company = institution_buyer(is_public_body=False, chorus_service_code="")
    business = pdf_text(
        render_pdf(sample_data(language=language, number="FA-2026-00001", buyer=company))
    )
    public = pdf_text(render_pdf(sample_data(language=language, number="FA-2026-00005")))
    private = pdf_text(
        render_pdf(sample_data(language=language, number="FA-2026-00002", buyer=person_buyer()))
    )
    credit_note = pdf_text(
        render_pdf(sample_data("credit_note", language=language, number="AV-2026-00002"))
    )
    with translation.override(language):
        mention = gettext(
            "Late payment: penalties at three times the French legal interest rate, from the day "
            "after the due date, and a fixed indemnity of €40 for recovery costs (French "
            "Commercial Code, articles L441-10 and D441-5). No discount for early payment."
        )
    assert "L441-10" in business and "40" in business
    assert " ".join(mention.split()[:4]) in business
    assert "D2192-35" in public and "R2192-31" in public and "L441-10" not in public
    for text in (private, credit_note):
        assert "L441-10" not in text and "D2192-35" not in text


def test_bank_details_on_unpaid_invoice_only():
    unpaid = pdf_text(render_pdf(sample_data(number="FA-2026-00003")))
    paid = pdf_text(render_pdf(sample_data(number="FA-2026-00004", paid=True)))
    assert "FR76 3000 6000 0112 3456 7890 189" in unpaid
    assert "FR76 3000 6000 0112 3456 7890 189" not in paid


def test_credit_note_names_its_invoice():
    data = sample_data(
        "credit_note",
        number="AV-2026-00001",
        references=sample_data().references.__class__(
            invoice_number="FA-2026-00012", invoice_date=datetime.date(2026, 10, 2)
        ),
        reason="Two resistors returned",
    )
    text = pdf_text(render_pdf(data))
    assert "FA-2026-00012" in text and "02/10/2026" in text
    assert "Two resistors returned" in text


def test_duplicate_is_marked():
    text = pdf_text(render_pdf(sample_data(number="FA-2026-00005", duplicate=True)))
    with translation.override("fr"):
        assert gettext("DUPLICATE") in text


def test_twenty_lines_flow_onto_pages_with_repeated_headers():
    from .helpers import sample_lines

    pdf = render_pdf(sample_data(number="FA-2026-00006", lines=sample_lines(40)))
    text = pdf_text(pdf)
    with translation.override("fr"):
        header = pgettext("business document", "Description").upper()
    assert text.count(header) >= 2  # the table header repeats on page 2
    assert "page 2/" in text or "2/2" in text


def test_renderer_never_reaches_the_network():
    """The URL fetcher refuses http(s) and files outside the shipped assets."""
    fetcher = _url_fetcher()
    for url in (
        "http://127.0.0.1:9/logo.png",
        "https://example.com/font.ttf",
        "file:///etc/passwd",
    ):
        with pytest.raises(OfflineFetchError):
            fetcher.fetch(url)

"""The legal mentions a document carries besides its figures, in the
active language: the nature of the operation, and the late-payment terms
(commercial for companies, public procurement for public bodies; none on a
credit note, which asks for no payment). The PDF prints them and the
Factur-X XML carries them as notes, from here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .data import DocumentData, Kind, Nature


def operation_nature_label(data: DocumentData) -> str:
    labels = {
        Nature.GOODS: _("Delivery of goods"),
        Nature.SERVICES: _("Provision of services"),
        Nature.MIXED: _("Delivery of goods and provision of services"),
    }
    return labels[data.operation_nature]


def has_late_payment_terms(data: DocumentData) -> bool:
    return data.buyer.is_business and data.shows_prices and data.kind != Kind.CREDIT_NOTE


def late_payment_paragraph(data: DocumentData) -> str:
    """The paragraph printed at the foot of the document, or ""."""
    if not has_late_payment_terms(data):
        return ""
    if data.buyer.is_public_body:
        return _(
            "Late payment: default interest at the European Central Bank's main refinancing "
            "rate plus eight percentage points, from the day after the payment deadline, and a "
            "fixed indemnity of €40 for recovery costs (French Public Procurement Code, "
            "articles L2192-13, R2192-31 and D2192-35). No discount for early payment."
        )
    return _(
        "Late payment: penalties at three times the French legal interest rate, from the day "
        "after the due date, and a fixed indemnity of €40 for recovery costs (French "
        "Commercial Code, articles L441-10 and D441-5). No discount for early payment."
    )


def late_payment_notes(data: DocumentData) -> list[tuple[str, str]]:
    """The same terms as CII notes (UNTDID 4451 subject codes: PMD for the
    penalties, PMT for the fixed indemnity)."""
    if not has_late_payment_terms(data):
        return []
    if data.buyer.is_public_body:
        return [
            (
                "PMT",
                _(
                    "Fixed indemnity of €40 for recovery costs in case of late payment "
                    "(French Public Procurement Code, article D2192-35)."
                ),
            ),
            (
                "PMD",
                _(
                    "Late payment: default interest at the European Central Bank's rate plus "
                    "eight percentage points (French Public Procurement Code, article R2192-31)."
                ),
            ),
        ]
    return [
        ("PMT", _("Fixed indemnity of €40 for recovery costs in case of late payment.")),
        ("PMD", _("Late payment penalties: three times the French legal interest rate.")),
    ]

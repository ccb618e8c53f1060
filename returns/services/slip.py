"""The return slip: a PDF rendered on request (not a numbered business
document), with billing's fonts and offline rendering."""

from django.conf import settings

from billing.documents.rendering import render_template_pdf
from returns.selectors import refund_needs_bank_details


def return_address() -> str:
    """Where returned parcels go: COMPTOIR_RETURN_ADDRESS, else the shop's."""
    return settings.COMPTOIR_RETURN_ADDRESS or settings.COMPTOIR_LEGAL["address"]


def return_slip_pdf(ret) -> bytes:
    return render_template_pdf(
        "returns/slip.html",
        {
            "ret": ret,
            "lines": list(ret.lines.select_related("line__product")),
            "legal": settings.COMPTOIR_LEGAL,
            "address": return_address(),
            "order": ret.order,
            "refund_days": settings.COMPTOIR_REFUND_BUSINESS_DAYS,
            # Transfer, cheque or mandate: refunded by transfer to the IBAN given.
            "by_transfer": refund_needs_bank_details(ret.order),
        },
        language=ret.language,
    )

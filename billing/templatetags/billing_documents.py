"""Amounts, quantities and rates as a French or English reader expects them
on a business document (1 234,56 € / €1,234.56), in the active language."""

from decimal import Decimal

from django import template
from django.utils import formats, translation

from billing.documents.addresses import postal_address_lines

register = template.Library()

NNBSP = "\u202f"  # French thousands separator and space before "%" and "€"


def _grouped(value: Decimal, places: int, thousands: str, decimal: str) -> str:
    text = f"{abs(value):,.{places}f}"
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", thousands)
    sign = "-" if value < 0 else ""
    return sign + integer + (decimal + fraction if fraction else "")


def _french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


@register.filter
def amount(value) -> str:
    """An amount in euros with its sign."""
    value = Decimal(str(value))
    if _french():
        return _grouped(value, 2, NNBSP, ",") + NNBSP + "€"
    text = _grouped(value, 2, ",", ".")
    return text.replace("-", "-€") if value < 0 else "€" + text


def _price_places(value: Decimal) -> int:
    """The decimals of an agreed price: cents at least, and never more than
    the price itself has (0,38 € stays 0,38 €; 0,125 € prints 0,125 €): a
    unit price is printed as agreed, never rounded nor padded."""
    return max(2, -value.normalize().as_tuple().exponent)


@register.filter
def unit_amount(value) -> str:
    """A unit price with the decimals it was agreed with (see _price_places)."""
    value = Decimal(str(value))
    places = _price_places(value)
    if _french():
        return _grouped(value, places, NNBSP, ",") + NNBSP + "€"
    text = _grouped(value, places, ",", ".")
    return text.replace("-", "-€") if value < 0 else "€" + text


@register.filter
def number(value) -> str:
    """A quantity: no decimals when whole (3, 2,5)."""
    value = Decimal(str(value))
    places = (
        0 if value == value.to_integral_value() else max(0, -value.normalize().as_tuple().exponent)
    )
    if _french():
        return _grouped(value, places, NNBSP, ",")
    return _grouped(value, places, ",", ".")


@register.filter
def percent(value) -> str:
    """A VAT rate given as 0.055: "5,5 %" or "5.5%"."""
    value = (Decimal(str(value)) * 100).normalize()
    text = number(value)
    return text + NNBSP + "%" if _french() else text + "%"


@register.filter
def doc_date(value) -> str:
    """The one date format of documents in the active language (French
    23/11/2026; English 11/23/2026): every date a document prints."""
    if not value:
        return ""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def operation_nature(doc) -> str:
    from billing.documents.mentions import operation_nature_label

    return operation_nature_label(doc)


@register.filter
def late_payment(doc) -> str:
    from billing.documents.mentions import late_payment_paragraph

    return late_payment_paragraph(doc)


# Part numbers never break inside: their column is as wide as the longest
# one needs (DejaVu Sans Condensed at 7.5 pt: about 1.55 mm a character),
# within bounds; past the widest, it wraps at its separators only.
REF_MM_PER_CHAR = Decimal("1.55")
REF_PADDING_MM = Decimal("4.5")
REF_MIN_MM, REF_MAX_MM = Decimal(16), Decimal(48)


@register.filter
def ref_column(lines) -> dict:
    """{"width": "31.9mm", "wraps": False} for the lines' part numbers."""
    longest = max((len(line.part_number or "") for line in lines), default=0)
    needed = longest * REF_MM_PER_CHAR + REF_PADDING_MM
    width = min(REF_MAX_MM, max(REF_MIN_MM, needed))
    return {"width": f"{width:.1f}mm", "wraps": needed > REF_MAX_MM}


# --- Factur-X (CII) values: plain decimals, dot separator -----------------------


@register.filter
def cii_amount(value) -> str:
    return f"{Decimal(str(value)):.2f}"


@register.filter
def cii_price(value) -> str:
    """A unit price as agreed: at least 2 decimals, no more than it has."""
    value = Decimal(str(value))
    return f"{value:.{_price_places(value)}f}"


@register.filter
def cii_plain(value) -> str:
    value = Decimal(str(value)).normalize()
    return f"{value:f}"


@register.filter
def cii_percent(value) -> str:
    return cii_plain(Decimal(str(value)) * 100)


@register.filter
def cii_category(value) -> str:
    """UNTDID 5305: S standard rate, Z zero rated."""
    return "S" if Decimal(str(value)) else "Z"


# --- account pages ----------------------------------------------------------------


@register.filter
def proforma_available(order) -> bool:
    """The customer may download a proforma for this order (an unpaid
    transfer or mandate order not yet shipped)."""
    from billing.documents.invoicing import customer_may_get_proforma

    return customer_may_get_proforma(order)


@register.simple_tag
def order_documents(order):
    """The order's documents for its customer, without their PDFs."""
    return list(order.documents.without_pdf().order_by("issued_at", "pk"))


@register.filter
def address_lines(address) -> list[str]:
    """An Oscar address as the documents print it (French style: "75002
    Paris" on one line, the country by its name), the person's name first:
    the lines for the web pages and emails that show an order's addresses."""
    if not address:
        return []
    name = (getattr(address, "salutation", "") or "").strip()
    return ([name] if name else []) + postal_address_lines(address)

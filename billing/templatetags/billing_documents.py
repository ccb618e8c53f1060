"""Amounts, quantities and rates as a French or English reader expects them
on a business document (1 234,56 € / €1,234.56), in the active language."""

from decimal import Decimal

from django import template
from django.utils import translation

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


@register.filter
def unit_amount(value) -> str:
    """A unit price: cents, or up to 4 decimals when it has them (0,1234 €)."""
    value = Decimal(str(value))
    places = min(4, max(2, -value.normalize().as_tuple().exponent))
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


# --- Factur-X (CII) values: plain decimals, dot separator -----------------------


@register.filter
def cii_amount(value) -> str:
    return f"{Decimal(str(value)):.2f}"


@register.filter
def cii_price(value) -> str:
    """A unit price: at least 2, at most 4 decimals."""
    value = Decimal(str(value))
    places = min(4, max(2, -value.normalize().as_tuple().exponent))
    return f"{value:.{places}f}"


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

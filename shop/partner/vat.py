"""The VAT rate of a product, of a basket line and of an order line.

Only rates live here; every amount is worked out by ``core.money``. The
rate of a product comes from its product class (standard rate by default),
never from rounded prices (0,50 € TTC / 0,42 € HT reads as "19 %"). An
order line records its rate as Oscar's ``tax_code`` ("0.20") when placed;
lines placed before that (and quote fees, shipping) are read back from
their product class, or snapped to the nearest French rate.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings

FRENCH_RATES = (Decimal("0.20"), Decimal("0.10"), Decimal("0.055"), Decimal("0.021"), Decimal(0))


def standard_rate() -> Decimal:
    return Decimal(str(settings.COMPTOIR_VAT_STANDARD_RATE))


def vat_rate_for(product) -> Decimal:
    """The VAT rate of a product, from its product class (standard rate by default)."""
    product_class = product.get_product_class()
    slug = product_class.slug if product_class else ""
    rate = settings.COMPTOIR_VAT_RATES.get(slug, settings.COMPTOIR_VAT_STANDARD_RATE)
    return Decimal(str(rate))


def rate_code(rate) -> str:
    """The rate as stored in Oscar's ``tax_code`` fields: "0.20", "0.055"."""
    return str(Decimal(str(rate)))


def rate_from_code(code) -> Decimal | None:
    """The rate a ``tax_code`` holds, or None (empty, or not a rate)."""
    try:
        rate = Decimal(str(code or "").strip())
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and 0 <= rate < 1 else None


def known_rates() -> list[Decimal]:
    rates = {standard_rate(), *FRENCH_RATES}
    rates |= {Decimal(str(rate)) for rate in settings.COMPTOIR_VAT_RATES.values()}
    return sorted(rates)


def snap_rate(excl, incl) -> Decimal:
    """The known French rate nearest to what two prices say (an amount
    recorded without its rate: shipping or fees of older orders)."""
    if not excl:
        return standard_rate()
    ratio = (Decimal(str(incl)) - Decimal(str(excl))) / Decimal(str(excl))
    return min(known_rates(), key=lambda rate: abs(rate - ratio))


def line_vat_rate(*, code=None, product=None, excl=None, incl=None) -> Decimal:
    """The VAT rate of a line: its recorded ``tax_code``, else its product's
    class, else the French rate its prices are nearest to."""
    rate = rate_from_code(code)
    if rate is not None:
        return rate
    if product is not None:
        return vat_rate_for(product)
    if excl is None:
        return standard_rate()
    return snap_rate(excl, incl)

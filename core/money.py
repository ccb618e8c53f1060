"""Every amount of the shop, worked out in one place.

Prices are held excluding VAT, as the catalogue and quotes agree them:

- line net = unit net × quantity;
- VAT of a rate = the sum of the nets at that rate × the rate, rounded
  half-up to the cent once (EN 16931 BR-CO-17);
- total incl. VAT = nets + VAT (BR-CO-10, BR-CO-13, BR-CO-15).

What a customer is charged is that total. Unit or line prices incl. VAT
shown to private customers are for display only (``display_gross``). No
other module rounds money: they call ``to_cents`` or the functions below.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# What the functions below accept as an amount, a rate or a weight: read
# through str(), so a float is taken as it prints, never as its binary value.
Number = Decimal | int | float | str


def to_cents(value: Number) -> Decimal:
    """An amount rounded half-up to the cent (the one rounding rule)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Number) -> int:
    """Cents as an integer, as card providers count them."""
    return int(to_cents(amount) * 100)


def from_minor_units(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def line_net(unit_net: Number, quantity: int) -> Decimal:
    """A line's amount excl. VAT: unit net × quantity."""
    return to_cents(Decimal(str(unit_net)) * int(quantity))


def vat_of(net: Number, rate: Number) -> Decimal:
    """VAT on a sum of nets at one rate, rounded once."""
    return to_cents(Decimal(str(net)) * Decimal(str(rate)))


def display_gross(net: Number, rate: Number) -> Decimal:
    """A unit or line price incl. VAT, for display to private customers only:
    never summed into a total."""
    return to_cents(Decimal(str(net)) * (1 + Decimal(str(rate))))


def rate_percent(rate: Number) -> Decimal:
    """A VAT rate as printed, in percent without trailing zeros: 0.20 → 20,
    0.055 → 5.5, 0 → 0 (a template localises it: "5,5" in French)."""
    value = (Decimal(str(rate)) * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


@dataclass(frozen=True)
class VatRow:
    """One rate of the VAT breakdown."""

    rate: Decimal
    base: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.base + self.vat

    @property
    def percent(self) -> Decimal:
        """The rate as printed: 20, 5.5, 0."""
        return rate_percent(self.rate)


@dataclass(frozen=True)
class Totals:
    """A document's or basket's totals: the nets, the VAT by rate and what is
    charged. ``net + vat == gross`` and each row's VAT is its base × rate."""

    rows: tuple[VatRow, ...]

    @property
    def net(self) -> Decimal:
        return sum((row.base for row in self.rows), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((row.vat for row in self.rows), ZERO)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    def vat_at(self, rate: Number) -> Decimal:
        rate = Decimal(str(rate))
        return sum((row.vat for row in self.rows if row.rate == rate), ZERO)

    def __add__(self, other: Totals) -> Totals:
        items = [(row.rate, row.base) for row in (*self.rows, *other.rows)]
        return totals(items)


def totals(items: Iterable[tuple[Number, Number]]) -> Totals:
    """Totals of (rate, line net) pairs: nets summed per rate, the VAT of
    each rate rounded once, highest rate first."""
    bases: dict[Decimal, Decimal] = {}
    for rate, net in items:
        rate = Decimal(str(rate))
        bases[rate] = bases.get(rate, ZERO) + to_cents(net)
    return Totals(
        rows=tuple(
            VatRow(rate=rate, base=bases[rate], vat=vat_of(bases[rate], rate))
            for rate in sorted(bases, reverse=True)
        )
    )


def allocate(amount: Number, weights: Sequence[Number]) -> list[Decimal]:
    """``amount`` split in cents pro rata to ``weights``, the parts adding up
    exactly (largest remainder; ties go to the first)."""
    amount = to_cents(amount)
    total = sum((Decimal(str(w)) for w in weights), ZERO)
    if not weights:
        return []
    if not total:
        return [amount, *[ZERO] * (len(weights) - 1)]
    exact = [amount * Decimal(str(w)) / total for w in weights]
    parts = [value.quantize(CENT, rounding="ROUND_DOWN") for value in exact]
    left = int((amount - sum(parts, ZERO)) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    step = CENT if left >= 0 else -CENT
    for i in order[: abs(left)]:
        parts[i] += step
    return parts


def net_for_gross(gross: Number, rate: Number) -> Decimal:
    """The net whose total incl. VAT at ``rate`` is ``gross``, when a cent
    allows it (at 20 %, 0,06 € has none: the nearest below is taken)."""
    gross = to_cents(gross)
    rate = Decimal(str(rate))
    base = to_cents(gross / (1 + rate))
    for candidate in (base, base - CENT, base + CENT):
        if candidate + vat_of(candidate, rate) == gross:
            return candidate
    return base if base + vat_of(base, rate) <= gross else base - CENT


def totals_for_gross(gross: Number, of: Totals) -> Totals:
    """Totals for an amount incl. VAT taken from ``of`` pro rata to its rates
    (a credit note by amount): each rate's share of the amount, its net, and
    its VAT = net × rate. When no net at a rate gives its share exactly, the
    cent moves to another rate; only when none can take it is the result a
    cent under ``gross``."""
    rows = [row for row in of.rows if row.gross]
    shares = allocate(gross, [row.gross for row in rows])
    nets = [net_for_gross(share, row.rate) for row, share in zip(rows, shares, strict=True)]
    result = totals((row.rate, net) for row, net in zip(rows, nets, strict=True))
    missing = to_cents(gross) - result.gross
    for i, row in enumerate(rows):
        if not missing:
            break
        share = nets[i] + vat_of(nets[i], row.rate) + missing
        net = net_for_gross(share, row.rate)
        if net >= 0 and net + vat_of(net, row.rate) == share:
            nets[i] = net
            result = totals((r.rate, n) for r, n in zip(rows, nets, strict=True))
            missing = to_cents(gross) - result.gross
    return result

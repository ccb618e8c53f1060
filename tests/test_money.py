"""core.money, the one money model (issue 10): properties over random
baskets, and EN 16931's calculation rules BR-CO-10 to BR-CO-17 in Python.

Baskets: lines at 20 %, 10 %, 5,5 % and 0 %, unit prices from 0,01 € to
10 000 €, quantities from 1 to 10 000."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core import money
from core.money import (
    CENT,
    allocate,
    display_gross,
    from_minor_units,
    line_net,
    net_for_gross,
    to_cents,
    to_minor_units,
    totals,
    totals_for_gross,
    vat_of,
)

RATES = [Decimal("0.20"), Decimal("0.10"), Decimal("0.055"), Decimal("0")]
rates = st.sampled_from(RATES)
unit_prices = st.integers(min_value=1, max_value=1_000_000).map(lambda c: Decimal(c) / 100)
quantities = st.integers(min_value=1, max_value=10_000)
basket_lines = st.lists(st.tuples(rates, unit_prices, quantities), min_size=1, max_size=12)
amounts = st.integers(min_value=0, max_value=100_000_000).map(lambda c: Decimal(c) / 100)


def items_of(lines):
    return [(rate, line_net(unit, quantity)) for rate, unit, quantity in lines]


@given(basket_lines)
def test_base_plus_vat_is_the_total_and_vat_is_rounded_once_per_rate(lines):
    result = totals(items_of(lines))
    assert result.net + result.vat == result.gross
    for row in result.rows:
        base = sum((net for rate, net in items_of(lines) if rate == row.rate), Decimal(0))
        assert row.base == base
        # The VAT of a rate: its base × rate, rounded half-up, once.
        assert row.vat == (base * row.rate).quantize(CENT, rounding="ROUND_HALF_UP")
        assert row.gross == row.base + row.vat
    assert [row.rate for row in result.rows] == sorted({r for r, _u, _q in lines}, reverse=True)


@given(basket_lines)
def test_en16931_br_co_10_to_17(lines):
    """BR-CO-10 sum of line nets = line total; BR-CO-13 tax basis = line
    total (no document allowances or charges); BR-CO-14 tax total = sum of
    the rates' VAT; BR-CO-15 grand total = basis + tax; BR-CO-16 amount due
    = grand total − prepaid (nothing prepaid); BR-CO-17 each rate's VAT =
    its basis × rate / 100, rounded to two decimals."""
    items = items_of(lines)
    result = totals(items)
    line_total = sum((net for _rate, net in items), Decimal(0))
    assert result.net == line_total  # BR-CO-10, BR-CO-13
    assert result.vat == sum((row.vat for row in result.rows), Decimal(0))  # BR-CO-14
    assert result.gross == result.net + result.vat  # BR-CO-15
    assert result.gross - 0 == result.gross  # BR-CO-16
    for row in result.rows:  # BR-CO-17
        assert row.vat == to_cents(row.base * row.percent / 100)
    for value in (result.net, result.vat, result.gross):
        assert value == value.quantize(CENT)


@given(basket_lines, basket_lines)
def test_totals_add_up_as_one_basket(first, second):
    assert totals(items_of(first)) + totals(items_of(second)) == totals(
        items_of(first) + items_of(second)
    )


@given(unit_prices, quantities, rates)
def test_line_net_and_display_gross(unit, quantity, rate):
    assert line_net(unit, quantity) == unit * quantity  # cents × an integer: exact
    # Display only: never more than half a cent from the exact price incl. VAT.
    assert abs(display_gross(unit, rate) - unit * (1 + rate)) <= Decimal("0.005")


@given(amounts, rates)
def test_net_for_gross_gives_back_the_advertised_price_or_a_cent_under(gross, rate):
    net = net_for_gross(gross, rate)
    charged = net + vat_of(net, rate)
    assert charged == gross or charged == gross - CENT


def test_net_for_gross_of_a_delivery_at_6_90():
    assert net_for_gross(Decimal("6.90"), Decimal("0.20")) == Decimal("5.75")
    assert net_for_gross(Decimal("14.90"), Decimal("0.20")) == Decimal("12.42")


@given(amounts, st.lists(amounts, min_size=1, max_size=8))
def test_allocate_splits_in_cents_that_add_up(amount, weights):
    parts = allocate(amount, weights)
    assert sum(parts, Decimal(0)) == amount
    assert all(part == part.quantize(CENT) for part in parts)
    total = sum(weights, Decimal(0))
    if total:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - amount * weight / total) < CENT


@settings(max_examples=300)
@given(basket_lines, st.integers(min_value=1, max_value=100))
def test_a_credit_by_amount_is_split_pro_rata_over_the_rates(lines, percent):
    invoice = totals(items_of(lines))
    gross = to_cents(invoice.gross * percent / 100)
    credit = totals_for_gross(gross, invoice)
    # Each rate: VAT = base × rate (BR-CO-17), and the amount is met to the
    # cent whenever a rate can take the cent (else one cent under).
    for row in credit.rows:
        assert row.vat == vat_of(row.base, row.rate)
        assert row.rate in {r.rate for r in invoice.rows}
    assert credit.gross in (gross, gross - CENT)
    # Pro rata: each rate's share is within a few cents of its exact share.
    for row in credit.rows:
        [source] = [r for r in invoice.rows if r.rate == row.rate]
        assert abs(row.gross - gross * source.gross / invoice.gross) <= Decimal("0.03")


def test_the_issue_examples():
    """3 × 2,97 € HT: 8,91 + round(1,782) = 10,69, not 8,91 / 1,77 / 10,68."""
    result = totals([(Decimal("0.20"), line_net("2.97", 3))])
    assert (result.net, result.vat, result.gross) == (
        Decimal("8.91"),
        Decimal("1.78"),
        Decimal("10.69"),
    )
    credit = totals_for_gross(
        Decimal("50.00"),
        totals([(Decimal("0.20"), Decimal("100.00")), (Decimal("0.055"), Decimal("50.00"))]),
    )
    assert [row.rate for row in credit.rows] == [Decimal("0.20"), Decimal("0.055")]
    assert credit.gross == Decimal("50.00")


@given(amounts)
def test_minor_units_round_trip_half_up(amount):
    assert from_minor_units(to_minor_units(amount)) == amount
    assert to_minor_units(Decimal("0.005")) == 1  # half-up, not half-even
    assert to_minor_units(Decimal("0.025")) == 3


def test_no_other_module_rounds_money():
    """The cent helpers live in core.money only (issue 10)."""
    import pathlib
    import re

    root = pathlib.Path(money.__file__).resolve().parents[1]
    pattern = re.compile(r"ROUND_HALF|quantize\((CENT|Decimal)|def (_?money|to_cents|from_cents)\(")
    offenders = [
        str(path.relative_to(root))
        for app in ("billing", "checkout", "orders", "procurement", "shop")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert offenders == []

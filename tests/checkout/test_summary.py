"""The VAT breakdown of the review, thank-you page and email (F2)."""

from decimal import Decimal

import pytest

from checkout.summary import order_vat
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def test_a_part_at_50_cents_shows_20_percent_not_19():
    """Given 40 × a part at 0,50 € TTC (0,42 € HT rounded) plus shipping,
    the breakdown shows one 20 % rate whose base and VAT add up to what is
    paid, as the invoice splits it."""
    part = make_product("NE555P timer", price="0.42", stock=100)
    order = make_order(lines=[(part, 40)])
    order.shipping_incl_tax, order.shipping_excl_tax = Decimal("6.90"), Decimal("5.75")
    order.save()

    [row] = order_vat(order, order.lines.all())
    assert row["rate"] == Decimal("20")
    # 20,00 + 6,90 = 26,90 TTC → 22,42 HT + 4,48 VAT.
    assert (row["base"], row["vat"]) == (Decimal("22.42"), Decimal("4.48"))
    assert row["base"] + row["vat"] == Decimal("26.90")


def test_a_reduced_rate_product_class_keeps_its_own_rate(settings):
    settings.COMPTOIR_VAT_RATES = {"composant": "0.055"}
    book = make_product("Art of Electronics", price="80.00", stock=5)
    order = make_order(lines=[(book, 1)])
    rates = [row["rate"] for row in order_vat(order, order.lines.all())]
    assert rates == [Decimal("5.5")]

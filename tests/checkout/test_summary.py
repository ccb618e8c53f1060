"""One money model on the review, the thank-you page and the email (issue 10).

Before, the review printed Oscar's sums (lines incl. VAT, each unit rounded
half-even) beside a VAT table split back from them: a guest buying 3 × a
part at 2,97 € HT (3,56 € TTC shown) to collect saw Total HT 8,91 / VAT 1,77
beside a table 8,90 / 1,78, and the email 8,91 + 1,78 = 10,68."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from orders.amounts import order_totals
from tests.factories import make_order, make_product

from .conftest import add_to_basket, place, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def figures(html: str) -> dict:
    """The review / thank-you totals by their ids, as Decimals."""
    found = {}
    for key in ("items-net", "total-net", "total-vat", "order-total"):
        match = re.search(rf'id="{key}">([^<]+)<', html)
        found[key] = Decimal(re.sub(r"[^\d,.-]", "", match.group(1)).replace(",", "."))
    return found


def vat_table(html: str) -> list[tuple[str, Decimal, Decimal]]:
    table = html.split('class="table table-sm vat-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td></tr>", table)
    amount = lambda text: Decimal(re.sub(r"[^\d,.-]", "", text).replace(",", "."))  # noqa: E731
    return [(rate.strip(), amount(base), amount(vat)) for rate, base, vat in rows]


def test_a_guest_review_email_and_order_agree_to_the_cent(client, france):
    """Given 3 × a part at 2,97 € HT collected at the shop, the review's
    totals, its VAT table, the order, the thank-you page and the email all
    say 8,91 HT + 1,78 VAT (round(8,91 × 20 %)) = 10,69."""
    add_to_basket(client, make_product("Relay", price="2.97", stock=9), 3)

    review = to_review(client, method="pickup").content.decode()

    assert figures(review) == {
        "items-net": Decimal("8.91"),
        "total-net": Decimal("8.91"),
        "total-vat": Decimal("1.78"),
        "order-total": Decimal("10.69"),
    }
    [(rate, base, vat)] = vat_table(review)
    assert (base, vat) == (Decimal("8.91"), Decimal("1.78"))
    assert rate.startswith("20")

    thanks = client.get(place(client).url).content.decode()
    order = Order.objects.get()
    assert (order.total_excl_tax, order.total_incl_tax) == (Decimal("8.91"), Decimal("10.69"))
    assert figures(thanks)["order-total"] == Decimal("10.69")
    assert vat_table(thanks) == vat_table(review)

    from core.outbox.services import messages_send_due

    messages_send_due()
    [email] = [m for m in mail.outbox if order.number in m.subject]
    text = email.body.replace("\u202f", " ").replace("\xa0", " ")
    assert re.search(r"8[.,]91", text) and re.search(r"1[.,]78", text)
    assert re.search(r"10[.,]69", text) and not re.search(r"10[.,]68", text)


def test_a_reduced_rate_product_class_keeps_its_own_rate(settings):
    settings.COMPTOIR_VAT_RATES = {"composant": "0.055"}
    book = make_product("Art of Electronics", price="80.00", stock=5)
    order = make_order(lines=[(book, 1)])
    assert [row.percent for row in order_totals(order).rows] == [Decimal("5.5")]
    assert order.lines.get().tax_code == "0.055"


def test_a_part_at_42_cents_is_taxed_on_the_sum_of_the_nets():
    """40 × 0,42 € HT (0,50 € TTC shown each) plus 6,90 € TTC delivery:
    VAT = round((16,80 + 5,75) × 20 %), once."""
    part = make_product("NE555P timer", price="0.42", stock=100)
    order = make_order(lines=[(part, 40)])
    order.shipping_incl_tax, order.shipping_excl_tax = Decimal("6.90"), Decimal("5.75")
    order.shipping_tax_code = "0.20"
    order.save()

    [row] = order_totals(order).rows
    assert (row.percent, row.base, row.vat) == (Decimal("20"), Decimal("22.55"), Decimal("4.51"))


def test_the_basket_page_and_header_show_core_money_totals(client, france):
    """Oscar sums the lines incl. VAT (3 × 3,56 = 10,68); the header shows
    the items' 10,69 (8,91 + 1,78), and the basket page, with its standard
    parcel (6,90 TTC, 5,75 HT), 14,66 HT + round(2,932) = 17,59."""
    from django.urls import reverse

    add_to_basket(client, make_product("Relay", price="2.97", stock=9), 3)

    page = client.get(reverse("basket:summary")).content.decode()

    total = re.search(r'id="basket-total-gross">([^<]+)<', page).group(1)
    assert re.search(r"17[.,]59", total)
    net = re.search(r'id="basket-total-net">([^<]+)<', page).group(1)
    assert re.search(r"14[.,]66", net)
    home = client.get(reverse("home")).content.decode()
    header = home.split('class="basket-link__total">')[1].split("<")[0]
    assert re.search(r"10[.,]69", header)

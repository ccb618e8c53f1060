"""Every per-line price incl. VAT is display_gross(line net, rate), and the
basket's delivery row is excl. VAT like the others (reviewer's walk).

Before, the basket, the review and the basket beside each step multiplied
Oscar's rounded unit price incl. VAT by the quantity: 25 × a part at
0,06 € HT showed 25 × 0,07 = 1,75 € TTC on the review, 1,80 € on the order."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.factories import make_product

from .conftest import add_to_basket, place, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def amounts(html: str) -> set[str]:
    """Every amount printed, as "1.80"."""
    text = html.replace("\u202f", " ").replace("\xa0", " ")
    return {m.replace(",", ".") for m in re.findall(r"(?<![\d.,])\d+[.,]\d\d(?![\d])", text)}


@pytest.fixture
def two_lines(client, france):
    """25 × BC547B at 0,06 € HT (1,50 HT: 1,80 TTC, not 25 × 0,07 = 1,75)
    and 10 × a resistor at 0,38 € HT (3,80 HT: 4,56 TTC, not 10 × 0,46)."""
    add_to_basket(client, make_product("BC547B", price="0.06", stock=100), 25)
    add_to_basket(client, make_product("Resistor 1k", price="0.38", stock=100), 10)


def test_basket_review_thank_you_and_email_print_each_line_from_its_net(client, two_lines):
    """Given the two lines, when the customer goes from the basket to the
    thank-you page and the email, then every line reads 1,80 and 4,56."""
    basket = amounts(client.get(reverse("basket:summary")).content.decode())
    review = to_review(client).content.decode()
    step = client.get(reverse("checkout:payment-method")).content.decode()
    summary = step.split('class="checkout-summary"')[1].split("</aside>")[0]
    assert {"1.80", "4.56"} <= amounts(summary)
    thanks = client.get(place(client).url).content.decode()

    for page in (basket, amounts(review), amounts(thanks)):
        assert {"1.80", "4.56"} <= page
        assert not {"1.75", "4.60"} & page

    from core.outbox.services import messages_send_due

    messages_send_due()
    order = Order.objects.get()
    [email] = [m for m in mail.outbox if order.number in m.subject]
    assert {"1.80", "4.56"} <= amounts(email.body)
    assert not {"1.75", "4.60"} & amounts(email.body)


def test_the_basket_shows_the_delivery_excl_vat_with_its_price_incl_vat_beside(client, two_lines):
    """Given a standard parcel (6,90 € TTC, 5,75 € HT), the basket's column
    reads items 5,30 + delivery 5,75 = total HT 11,05, with "(6,90 € TTC)"
    beside the delivery, as the review prints it."""
    with translation.override("fr"):
        page = client.get(reverse("basket:summary")).content.decode()

    net = re.search(r'id="basket-shipping-net">([^<]+)<', page).group(1)
    gross = re.search(r'id="basket-shipping-gross">([^<]+)<', page).group(1)
    assert amounts(net) == {"5.75"}
    assert amounts(gross) == {"6.90"} and "TTC" in gross
    items = re.search(r'id="basket-items-net">([^<]+)<', page).group(1)
    total = re.search(r'id="basket-total-net">([^<]+)<', page).group(1)
    assert amounts(items) == {"5.30"} and amounts(total) == {"11.05"}

    with translation.override("en"):
        english = client.get(reverse("basket:summary")).content.decode()
    gross = re.search(r'id="basket-shipping-gross">([^<]+)<', english).group(1)
    assert amounts(gross) == {"6.90"} and "incl. VAT" in gross

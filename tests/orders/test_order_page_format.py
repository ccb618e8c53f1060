"""The customer's order page as a French or English reader expects it:
"75002 Paris" on one line, one date format per language, "État :", no
review button before the goods arrive; and the shop's icon at /favicon.ico."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from billing.templatetags.billing_documents import address_lines
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

S = OrderStatus
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    client.force_login(user)
    return user


def _address():
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    return ShippingAddress.objects.create(
        first_name="Alice",
        last_name="Martin",
        line1="12 rue des Artisans",
        line4="Paris",
        postcode="75002",
        country=country,
    )


def test_address_lines_put_the_postcode_before_the_city():
    with translation.override("fr"):
        assert address_lines(_address()) == [
            "Alice Martin",
            "12 rue des Artisans",
            "75002 Paris",
            "France",
        ]
    assert address_lines(None) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_order_page_address_status_and_reviews(client, customer, language):
    order = make_order(
        lines=[(make_product(), 1)], user=customer, status=S.RESERVED, shipping_address=_address()
    )
    prefix = "" if language == "fr" else "/en"
    url = prefix + reverse("customer:order", kwargs={"order_number": order.number}).removeprefix(
        "/en"
    )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "75002 Paris" in html
    assert not re.search(r"Paris<br/>\s*75002", html)
    if language == "fr":
        assert "État\u00a0:" in html
    assert "reviews/add" not in html and "#addreview" not in html


def test_favicon_redirects_to_the_shops_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico") and "img/favicon" in response["Location"]


def test_confirmation_email_prints_postcode_then_city(customer):
    """Given an order delivered in Paris, its confirmation (text and HTML)
    prints "75002 Paris" as the invoice does, never "Paris, 75002"."""
    from checkout.confirmation import confirmation_content

    order = make_order(
        lines=[(make_product(), 1)], user=customer, shipping_address=_address(), language="fr"
    )
    _subject, text, html = confirmation_content(order)
    assert "12 rue des Artisans, 75002 Paris, France" in text
    assert "75002 Paris<br>" in html
    assert "Paris, 75002" not in text

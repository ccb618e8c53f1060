"""Whole pages cached for anonymous first-time visitors (shop/catalogue/page_cache.py)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.catalogue.views import ProductDetailView
from tests.factories import StockRecord, make_product

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def product():
    return make_product("Timer NE555", mpn="NE555P", price="0.45", stock=25)


def visit(url, client=None):
    client = client or Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return client, response, len(queries)


def test_second_visitor_gets_the_cached_page_with_a_token_of_their_own(product):
    url = product.get_absolute_url()
    _, first, _ = visit(url)
    client, second, queries = visit(url)

    assert queries == 0
    first_token = TOKEN.search(first.content.decode()).group(1)
    second_token = TOKEN.search(second.content.decode()).group(1)
    assert first_token != second_token
    assert "__comptoir_csrf__" not in second.content.decode()
    assert second.cookies["csrftoken"].value  # the token's cookie comes with it

    # ... and that token works: the visitor can put the product in a basket.
    added = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1, "csrfmiddlewaretoken": second_token},
    )
    assert added.status_code == 302
    assert product.basket_lines.count() == 1


@pytest.fixture
def renders(monkeypatch):
    """Counts the product pages actually rendered (not served from the page cache)."""
    calls = []
    original = ProductDetailView.get_context_data

    def counted(self, **kwargs):
        calls.append(self.request.path)
        return original(self, **kwargs)

    monkeypatch.setattr(ProductDetailView, "get_context_data", counted)
    return calls


def test_visitors_with_a_session_basket_or_messages_bypass_it(product, renders):
    url = product.get_absolute_url()
    visit(url)
    visit(url)
    assert len(renders) == 1  # the second anonymous visit came from the cache
    for cookie in ("sessionid", "oscar_open_basket", "messages"):
        client = Client()
        client.cookies[cookie] = "x"
        _, response, _ = visit(url, client)
        assert response.status_code == 200
    assert len(renders) == 4  # each rendered for its visitor


def test_unknown_query_parameters_bypass_it(product, renders):
    url = product.get_absolute_url() + "?utm_source=mail"
    visit(url)
    visit(url)
    assert len(renders) == 2


def test_a_price_change_shows_on_the_next_request(product, django_capture_on_commit_callbacks):
    url = product.get_absolute_url()
    visit(url)
    with django_capture_on_commit_callbacks(execute=True):
        record = StockRecord.objects.get(product=product)
        record.price = "9.99"
        record.save()
    _, response, _ = visit(url)
    assert "9,99" in response.content.decode() or "9.99" in response.content.decode()


def test_the_empty_basket_page_is_cached_for_visitors_without_a_basket(product):
    url = reverse("basket:summary")
    visit(url)
    _, response, queries = visit(url)
    assert response.status_code == 200
    assert queries == 0

    # A visitor with a basket gets their own page, with their product in it.
    client = Client()
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    page = client.get(url)
    assert product.title in page.content.decode()

"""The query budget of placing an order (bench/place_order.py measures the
time): a 10-line basket is placed in at most 40 SQL queries (issue 14; 60
before), whatever the number of lines costs Oscar by default (two queries a
line and more). Counted inside the test's transaction, so savepoints count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import make_product

from .conftest import add_to_basket, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db
BUDGET = 40


def test_placing_a_ten_line_order_stays_within_the_query_budget(client, france):
    for i in range(10):
        add_to_basket(client, make_product(f"Part {i}", price=f"{i + 1}.50", stock=50), 2)
    review = to_review(client)
    data = {
        "action": "place_order",
        "basket_id": review.context["basket"].pk,
        "total": review.context["order_total"].incl_tax,
        "accept_terms": "on",
    }

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("checkout:preview"), data)

    assert response.status_code == 302
    order = Order.objects.get()
    assert order.lines.count() == 10
    assert order.status == "reserved"  # a transfer waits for its payment
    assert len(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries.captured_queries)

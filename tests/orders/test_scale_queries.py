"""Pages over many orders: their SQL queries do not grow with the orders
they list, the admin's search asks what indexes can answer, and its count
stops at a cap (issue 14, item 4; bench/scale/pages.py times the same pages
over a million orders).

Counts, never timings: they hold on SQLite as on PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from billing.documents import invoicing
from billing.models import Document, Payment
from billing.payments.services.payments import record_payment
from core.admin import CappedCountPaginator
from orders.selectors import orders_search
from orders.services import transitions as t
from tests.factories import Order, make_order, make_product

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("chef", "chef@example.com", "pw")
    client.force_login(user)
    return client


def queries(client, url, data=None) -> int:
    client.get(url, data or {})  # first request: per-process caches (site, content types)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url, data or {})
    assert page.status_code == 200
    return len(ctx.captured_queries)


def customer(n: int, last_name: str = "Durand"):
    return User.objects.create_user(
        f"client{n}", f"client{n}@example.com", "pw", first_name="Anne", last_name=last_name
    )


def orders_of(user, n: int, products, **fields) -> list:
    return [make_order(lines=[(p, 2) for p in products], user=user, **fields) for _ in range(n)]


def test_account_order_list_makes_as_many_queries_for_30_orders_as_for_one(client):
    """Given a customer with one order of three lines, then one with 30 such
    orders, when each opens their order history, then both pages make the same
    number of queries, and each row counts its items (3 lines of 2)."""
    products = [make_product() for _ in range(3)]
    few, many = customer(1), customer(2)
    orders_of(few, 1, products)
    orders_of(many, 30, products)
    url = reverse("customer:order-list")

    client.force_login(few)
    one = queries(client, url)
    client.force_login(many)
    thirty = queries(client, url)
    page = client.get(url)

    assert one == thirty
    assert len(page.context["orders"]) == 20  # Oscar's page size
    assert all(order.num_items == 6 for order in page.context["orders"])


# The account's order page: what it may cost, whatever the order holds (22
# queries in 2026-12, of which 7 are every account page's: session user,
# notifications, permissions, basket).
ORDER_PAGE_MAX_QUERIES = 24


def delivered_order(user, *, lines: int, payments: int, documents: bool, moves: bool):
    """A bank-transfer order of ``lines`` lines, with a shipping address and a
    manager, paid in ``payments`` transfers, shipped and delivered (its
    invoice); ``documents`` adds a proforma and a delivery note, ``moves`` a
    change by the customer (reserved → new → reserved)."""
    Country = get_model("address", "Country")
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    address = get_model("order", "ShippingAddress").objects.create(
        first_name="Anne",
        last_name="Durand",
        line1="1 rue Haute",
        line4="Lyon",
        postcode="69001",
        country=country,
    )
    manager, _ = User.objects.get_or_create(username="gerant", defaults={"is_staff": True})
    order = make_order(
        lines=[(make_product(price="10.00"), 2) for _ in range(lines)],
        user=user,
        payment_method="transfer",
        shipping_address=address,
        manager=manager,
    )
    t.order_reserve(order_id=order.pk)
    if moves:
        t.order_reopen(order_id=order.pk)
        t.order_reserve(order_id=order.pk)
    if documents:
        invoicing.proforma_issue(order_id=order.pk)
    order.refresh_from_db()
    share = (order.total_incl_tax / payments).quantize(Decimal("0.01"))
    for n in range(payments):
        last = n == payments - 1
        amount = order.total_incl_tax - share * (payments - 1) if last else share
        record_payment(order_id=order.pk, amount=amount, method="transfer")
    if documents:  # paid: it went to picking by itself
        invoicing.delivery_note_issue(order_id=order.pk)
    t.order_ship(order_id=order.pk, pickup=True)
    t.order_deliver(order_id=order.pk)
    return order


def test_account_order_page_makes_as_many_queries_for_20_lines_as_for_one(client):
    """Given a delivered order of one line paid at once, and one of 20 lines
    paid in 3 transfers, with 3 documents and more moves, when their customer
    opens each order's page, then both make the same number of queries,
    under the ceiling, and the bigger page shows its lines, documents and
    moves, and "write a review" on each line its customer has not reviewed."""
    small_buyer, big_buyer = customer(1), customer(2)
    small = delivered_order(small_buyer, lines=1, payments=1, documents=False, moves=False)
    big = delivered_order(big_buyer, lines=20, payments=3, documents=True, moves=True)

    client.force_login(small_buyer)
    one = queries(client, reverse("customer:order", args=[small.number]))
    client.force_login(big_buyer)
    url = reverse("customer:order", args=[big.number])
    many = queries(client, url)
    page = client.get(url).content.decode()

    assert Payment.objects.filter(order=big).count() == 3
    assert Document.objects.filter(order=big).count() == 3
    assert big.transitions.count() > small.transitions.count()
    assert one == many <= ORDER_PAGE_MAX_QUERIES
    assert page.count('id="reorder_line_') == 20
    assert page.count('class="order-timeline__step') == big.transitions.count()
    assert all(document.number in page for document in Document.objects.filter(order=big))
    # Each line invites a review until its customer has written one.
    assert page.count("#addreview") == 20
    reviewed = big.lines.order_by("pk").first().product
    get_model("reviews", "ProductReview").objects.create(
        product=reviewed, user=big_buyer, score=5, title="Bien", body="Conforme."
    )
    assert client.get(url).content.decode().count("#addreview") == 19


def test_admin_order_list_makes_as_many_queries_for_30_orders_as_for_one(staff_client):
    """Given one order, then 30 more of different customers with a manager
    each, when staff list them (plain, filtered, searched), then each list makes
    as many queries as it did for one order."""
    products = [make_product()]
    manager = User.objects.create_user("gerant", "gerant@example.com", "pw", is_staff=True)
    orders_of(customer(0), 1, products, manager=manager)
    url = reverse("admin:order_order_changelist")
    variants = [{}, {"status__exact": "new"}, {"q": "client"}, {"manager__id__exact": manager.pk}]
    before = [queries(staff_client, url, data) for data in variants]

    for n in range(1, 31):
        orders_of(customer(n), 1, products, manager=manager)
    after = [queries(staff_client, url, data) for data in variants]

    assert before == after
    page = staff_client.get(url)
    assert len(page.context["cl"].result_list) == 31


@pytest.mark.parametrize("max_customers", [5000, 0], ids=["customer ids", "union"])
def test_admin_search_finds_by_number_prefix_email_and_last_name(
    staff_client, monkeypatch, max_customers
):
    """Given orders of two customers and a guest, when staff search, then a
    number prefix, part of an email (customer or guest) and a last name each
    find their orders, and every word of the search must match; the same
    when the matching customers are too many for their ids to be listed."""
    monkeypatch.setattr("orders.selectors.SEARCH_MAX_CUSTOMERS", max_customers)
    products = [make_product()]
    martin, roux = customer(1, last_name="Martin"), customer(2, last_name="Roux")
    [by_martin] = orders_of(martin, 1, products)
    [by_roux] = orders_of(roux, 1, products)
    by_guest = make_order(lines=[(products[0], 1)], email="labo.achats@univ.example")
    everything = Order.objects.all()

    def found(text):
        return set(orders_search(everything, text=text))

    assert found(by_roux.number) == {by_roux}
    assert found(by_roux.number[:-1]) >= {by_roux}
    assert found("martin") == {by_martin}  # last name, any case
    assert found("CLIENT2@") == {by_roux}  # the customer's email
    assert found("achats@univ") == {by_guest}  # the guest's email
    assert found("martin client1@") == {by_martin}
    assert found("martin roux") == set()  # every word must match
    martin.first_name = "Camille"
    martin.save()
    assert found("Camille Martin") == {by_martin}  # first and last name
    page = staff_client.get(reverse("admin:order_order_changelist"), {"q": "Martin"})
    assert list(page.context["cl"].result_list) == [by_martin]


def test_admin_order_list_stops_counting_at_the_cap(staff_client, monkeypatch):
    """Given 7 orders and a cap of 5, when staff list them, then the list
    counts no further than the cap (one COUNT over a LIMIT, no count of the
    whole table) and says "more than 5 orders"; under the cap it counts."""
    products = [make_product()]
    orders_of(customer(1), 7, products)
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    url = reverse("admin:order_order_changelist")

    with CaptureQueriesContext(connection) as ctx:
        page = staff_client.get(url)
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and '"order_order"' in q["sql"]
    ]

    assert page.context["cl"].paginator.capped
    assert page.context["cl"].result_count == 5
    # Below the list and beside the search box, never "5 results".
    assert page.content.decode().count("more than 5 orders") == 2
    assert "5 results" not in page.content.decode()
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    page = staff_client.get(url)
    assert not page.context["cl"].paginator.capped
    assert "7 orders" in page.content.decode().lower()


def test_admin_search_counts_to_its_own_lower_cap(staff_client, monkeypatch):
    """Given 4 orders of a customer named Martin, a list cap of 10 and a
    search cap of 3, when staff search "martin", then the count stops at 3
    and says "more than 3 orders"; the list without a search counts all 4."""
    orders_of(customer(1, last_name="Martin"), 4, [make_product()])
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    monkeypatch.setattr("orders.admin.SEARCH_COUNT_CAP", 3)
    url = reverse("admin:order_order_changelist")

    searched = staff_client.get(url, {"q": "martin"})
    listed = staff_client.get(url)

    assert searched.context["cl"].paginator.capped
    assert searched.context["cl"].result_count == 3
    assert "more than 3 orders" in searched.content.decode()
    assert not listed.context["cl"].paginator.capped
    assert listed.context["cl"].result_count == 4


def test_status_filter_lists_the_states_without_reading_the_orders(staff_client):
    """Given orders, when staff open the order list, then the status filter
    offers every state of the machine, and no query reads the distinct
    statuses of the orders (a scan of the table); filtering still works."""
    from orders.statuses import OrderStatus

    products = [make_product()]
    orders_of(customer(1), 1, products)
    [reserved] = orders_of(customer(2), 1, products, status=OrderStatus.RESERVED)
    url = reverse("admin:order_order_changelist")
    with CaptureQueriesContext(connection) as ctx:
        page = staff_client.get(url)
    [spec] = [f for f in page.context["cl"].filter_specs if f.title == "status"]
    assert [value for value, _label in spec.lookup_choices] == list(OrderStatus.values)
    assert not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"].upper()]
    page = staff_client.get(url, {"status__exact": OrderStatus.RESERVED})
    assert list(page.context["cl"].result_list) == [reserved]


def test_manager_filter_lists_staff_only(staff_client):
    """Given customers and a manager, when staff open the order list, then
    the manager filter offers staff users only, not every customer."""
    for n in range(3):
        customer(n)
    manager = User.objects.create_user("gerant", "gerant@example.com", "pw", is_staff=True)
    page = staff_client.get(reverse("admin:order_order_changelist"))
    [spec] = [
        f for f in page.context["cl"].filter_specs if getattr(f, "field_path", "") == "manager"
    ]
    offered = {pk for pk, _label in spec.lookup_choices}
    assert manager.pk in offered
    assert not offered & set(User.objects.filter(is_staff=False).values_list("pk", flat=True))


def test_search_indexes_exist_on_postgresql_only():
    """The trigram indexes of the admin's search are made on PostgreSQL (with
    pg_trgm) and the same migrations leave SQLite as it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN "
                "('order_guest_email_trgm', 'user_email_trgm', 'user_last_name_trgm',"
                " 'user_first_name_trgm')"
            )
            assert len(cursor.fetchall()) == 4
        else:
            names = {
                index
                for table in ("order_order", "auth_user")
                for index in connection.introspection.get_constraints(cursor, table)
            }
            assert not names & {"order_guest_email_trgm", "user_email_trgm"}


def test_a_guest_order_page_costs_the_same_whatever_its_lines(client):
    """Given a guest's order of 1 line and one of 12, when the guest opens
    each page (signed link, their email given), then both make as many
    queries, and each line links to its product."""

    def page_sql(order) -> int:
        session = client.session
        session["anon_order_email"] = order.email
        session.save()
        url = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
        client.get(url)  # warms the menu and the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert all(line.product.get_absolute_url() in html for line in order.lines.all())
        return len(queries)

    one = make_order(lines=[(make_product(), 1)])
    twelve = make_order(lines=[(make_product(), 2) for _ in range(12)])
    assert page_sql(one) == page_sql(twelve)

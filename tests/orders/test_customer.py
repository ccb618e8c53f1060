import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from orders.amounts import order_totals
from orders.services import editing
from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import Order, make_order, make_product, stock_of

S = OrderStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    client.force_login(user)
    return user


def test_customer_confirms_a_changed_reservation(client, customer):
    product = make_product(stock=1)
    order = make_order(lines=[(product, 3, 3)], user=customer)
    t.order_reserve(order_id=order.pk)

    response = client.post(reverse("orders:confirm", args=[order.number]))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS
    assert order.transitions.last().by == customer


def test_another_customer_gets_404_on_every_action(client, customer):
    other = get_user_model().objects.create_user("bob", "bob@example.com", "pw")
    order = make_order(lines=[(make_product(), 1)], user=other)
    t.order_reserve(order_id=order.pk)
    for name in ("confirm", "cancel", "edit"):
        assert client.post(reverse(f"orders:{name}", args=[order.number])).status_code == 404
    order.refresh_from_db()
    assert order.status == S.RESERVED


def guest_session(client, email):
    session = client.session
    session["anon_order_email"] = email  # what Oscar's guest order form stores
    session.save()


def test_guest_acts_with_the_signed_link_and_their_email_only(client):
    order = make_order(lines=[(make_product(), 1)])
    t.order_reserve(order_id=order.pk)
    url = reverse("orders:cancel", args=[order.number])
    signed = url + "?h=" + order.verification_hash()
    assert client.post(signed).status_code == 404  # no email given yet
    guest_session(client, "someone@else.example")
    assert client.post(signed).status_code == 404
    guest_session(client, order.email)
    assert client.post(url + "?h=forged").status_code == 404
    assert client.post(signed).status_code == 302
    order.refresh_from_db()
    assert order.status == S.CANCELLED


def test_edit_releases_stock_goes_back_to_new_and_reserves_again(
    client, customer, django_capture_on_commit_callbacks, eager_celery
):
    kept, removed, added = (
        make_product(stock=5),
        make_product(stock=5),
        make_product(stock=5, mpn="BME280"),
    )
    order = make_order(lines=[(kept, 2), (removed, 1)], user=customer)
    t.order_reserve(order_id=order.pk)
    line_kept, line_removed = order.lines.order_by("pk")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orders:edit", args=[order.number]),
            {
                f"line-{line_kept.pk}": "4",
                f"line-{line_removed.pk}": "0",
                "reference": "bme280",
                "quantity": "2",
            },
        )

    assert response.status_code == 302
    order.refresh_from_db()
    moves = [(m.from_status, m.to_status) for m in order.transitions.all()]
    assert moves == [(S.NEW, S.RESERVED), (S.RESERVED, S.NEW), (S.NEW, S.RESERVED)]
    assert sorted(order.lines.values_list("product__mpn", "quantity", "num_allocated")) == sorted(
        [(kept.mpn, 4, 4), ("BME280", 2, 2)]
    )
    assert stock_of(kept) == (5, 4) and stock_of(removed) == (5, 0) and stock_of(added) == (5, 2)
    # The edited order's totals are its lines' by core.money (issue 10).
    totals = order_totals(order)
    assert (order.total_excl_tax, order.total_incl_tax) == (totals.net, totals.gross)
    assert totals.net == sum(line.line_price_excl_tax for line in order.lines.all())


def test_paid_or_prepared_orders_cannot_be_edited(customer):
    product = make_product()
    order = make_order(lines=[(product, 1)], user=customer, status=S.IN_PROGRESS)
    with pytest.raises(editing.OrderError):
        editing.order_edit(order_id=order.pk, quantities={order.lines.get().pk: 2})


def test_bad_edits_change_nothing(client, customer):
    order = make_order(lines=[(make_product(stock=5), 1)], user=customer)
    t.order_reserve(order_id=order.pk)
    line = order.lines.get()
    url = reverse("orders:edit", args=[order.number])
    for data in (
        {f"line-{line.pk}": "0"},  # nothing left: cancel instead
        {f"line-{line.pk}": "-3"},
        {f"line-{line.pk}": "1", "reference": "NOPE-404", "quantity": "1"},
        {f"line-{line.pk}": "100000"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert response.context["errors"] or response.context["add_form"].errors
    order.refresh_from_db()
    assert order.status == S.RESERVED
    assert list(order.lines.values_list("quantity", flat=True)) == [1]
    assert Order.objects.get(pk=order.pk).transitions.count() == 1


def test_order_page_shows_state_manager_actions_and_timeline(client, customer):
    manager = get_user_model().objects.create_user(
        "claire", "claire@comptoir.example", first_name="Claire", last_name="Dubois", is_staff=True
    )
    order = make_order(
        lines=[(make_product(stock=1), 2, 2)], user=customer, payment_method="transfer"
    )
    t.order_reserve(order_id=order.pk)  # 1 of 2 held: the customer must confirm

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("orders:confirm", args=[order.number]) in html
    assert reverse("orders:edit", args=[order.number]) in html
    assert "order-timeline__step--reserved" in html

    client.post(reverse("orders:confirm", args=[order.number]))
    html = client.get(
        reverse("customer:order", kwargs={"order_number": order.number})
    ).content.decode()
    assert "Claire Dubois" in html and "claire@comptoir.example" in html
    assert "FR76 3000 6000 0112 3456 7890 189" in html  # bank details once confirmed
    assert reverse("orders:confirm", args=[order.number]) not in html
    assert html.count("order-timeline__step--") == 2
    assert manager


def test_guest_order_page_carries_the_signed_actions(client):
    order = make_order(lines=[(make_product(stock=5), 1)])
    t.order_reserve(order_id=order.pk)
    guest_session(client, order.email)
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    page = client.get(url)
    assert page.status_code == 200, page
    html = page.content.decode()
    assert reverse("orders:cancel", args=[order.number]) + "?h=" + order.verification_hash() in html


def test_account_page_shows_the_personal_manager(client, customer):
    from shop.customer.models import CustomerProfile

    manager = get_user_model().objects.create_user(
        "paul", "paul@comptoir.example", first_name="Paul", last_name="Roux", is_staff=True
    )
    CustomerProfile.objects.create(user=customer, manager=manager, mobile="+33611111111")
    html = client.get(reverse("customer:profile-view")).content.decode()
    assert "Paul Roux" in html and "paul@comptoir.example" in html


def test_changing_a_quantity_alone_needs_no_add_quantity(client, customer):
    order = make_order(lines=[(make_product(stock=5), 1)], user=customer)
    t.order_reserve(order_id=order.pk)
    line = order.lines.get()
    response = client.post(
        reverse("orders:edit", args=[order.number]), {f"line-{line.pk}": "2", "quantity": ""}
    )
    assert response.status_code == 302
    assert order.lines.get().quantity == 2


def test_order_page_says_who_is_billed_the_po_and_the_mandate_terms(client, customer):
    from django.utils import translation

    from shop.customer.models import LegalEntity

    lab = LegalEntity.objects.create(
        user=customer,
        kind="public",
        name="Université de Lyon",
        siret="73282932000074",
        line1="1 rue Test",
        postcode="69007",
        city="Lyon",
    )
    order = make_order(
        lines=[(make_product(stock=3), 1)],
        user=customer,
        payment_method="mandate",
        legal_entity=lab,
        purchase_order_number="BC-2026-00417",
    )
    with translation.override("en"):
        html = client.get(
            reverse("customer:order", kwargs={"order_number": order.number})
        ).content.decode()
    assert "Université de Lyon" in html and "73282932000074" in html
    assert "BC-2026-00417" in html
    assert "Administrative mandate" in html and "within 30 days of the invoice" in html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

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


def test_guest_acts_with_the_signed_link_only(client):
    order = make_order(lines=[(make_product(), 1)])
    t.order_reserve(order_id=order.pk)
    url = reverse("orders:cancel", args=[order.number])
    assert client.post(url + "?h=forged").status_code == 404
    assert client.post(url + "?h=" + order.verification_hash()).status_code == 302
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
    assert order.total_incl_tax == sum(line.line_price_incl_tax for line in order.lines.all())


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

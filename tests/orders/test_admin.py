from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from orders.services import transitions as t
from orders.statuses import OrderStatus
from tests.factories import Order, make_order, make_product

S = OrderStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


def test_order_page_offers_only_the_legal_moves(staff_client):
    order = make_order(lines=[(make_product(), 1)], status=S.PICKING)
    page = staff_client.get(reverse("admin:order_order_change", args=[order.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "order-move--shipped" in html
    for other in ("reserved", "in_progress", "cancelled", "delivered"):
        assert f"order-move--{other}" not in html


def test_shipping_from_the_admin_asks_for_carrier_and_tracking(staff_client):
    order = make_order(lines=[(make_product(), 1)], status=S.PICKING)
    url = reverse("admin:order_order_move", args=[order.pk, S.SHIPPED])

    page = staff_client.post(url, {"carrier": "Colissimo", "tracking_number": ""})
    assert page.status_code == 200  # the form again, with its error
    order.refresh_from_db()
    assert order.status == S.PICKING

    staff_client.post(url, {"carrier": "Colissimo", "tracking_number": "6A999"})
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (S.SHIPPED, "6A999")
    move = order.transitions.get()
    assert (move.by, move.source) == (staff_client.user, "staff")


def test_a_refused_move_is_shown_as_a_message(staff_client):
    order = make_order(lines=[(make_product(), 1)], status=S.IN_PROGRESS, payment_method="transfer")
    url = reverse("admin:order_order_move", args=[order.pk, S.PICKING])
    page = staff_client.post(url, {"note": ""}, follow=True)
    assert page.status_code == 200
    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS
    assert any("paiement" in str(m) or "payment" in str(m) for m in page.context["messages"])


def test_list_filters_overdue_reservations(staff_client):
    product = make_product()
    overdue, fresh = make_order(lines=[(product, 1)]), make_order(lines=[(product, 1)])
    for order in (overdue, fresh):
        t.order_reserve(order_id=order.pk)
    Order.objects.filter(pk=overdue.pk).update(reserved_until=timezone.now() - timedelta(hours=1))

    page = staff_client.get(reverse("admin:order_order_changelist") + "?overdue=yes")

    assert list(page.context["cl"].result_list) == [Order.objects.get(pk=overdue.pk)]


def test_customers_cannot_reach_the_moves(client):
    user = get_user_model().objects.create_user("client", "c@example.com", "pw")
    client.force_login(user)
    order = make_order(lines=[(make_product(), 1)], status=S.PICKING)
    url = reverse("admin:order_order_move", args=[order.pk, S.SHIPPED])
    response = client.post(url, {"pickup": "on"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    order.refresh_from_db()
    assert order.status == S.PICKING


def test_the_admin_says_why_picking_waits_and_the_customers_deadline(staff_client):
    """Staff see the same deadline as the customer (orders.selectors.order_deadline),
    and "start picking" only when its service would accept it, else why not."""
    from django.utils.formats import date_format

    from orders.selectors import order_deadline

    order = make_order(lines=[(make_product(stock=5), 1, 5)], payment_method="transfer")
    t.order_reserve(order_id=order.pk)
    t.order_confirm(order_id=order.pk, source=t.CUSTOMER)
    order.refresh_from_db()

    html = staff_client.get(
        reverse("admin:order_order_change", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "order-move--picking" not in html and "order-move--waiting" in html
    told = date_format(timezone.localtime(order_deadline(order)), "DATETIME_FORMAT")
    assert told in html

    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    html = staff_client.get(reverse("admin:order_order_change", args=[order.pk])).content.decode()
    assert "order-move--picking" in html


def test_the_order_lines_show_their_price_incl_vat_from_their_net(staff_client):
    """Given 25 x a part at 0,06 EUR HT stored as 25 x 0,07 (an edit before
    the fix), the admin's line reads display_gross(1,50) = 1,80."""
    from decimal import Decimal

    order = make_order(lines=[(make_product(price="0.06"), 25)])
    order.lines.update(line_price_incl_tax=Decimal("1.75"))
    html = staff_client.get(reverse("admin:order_order_change", args=[order.pk])).content.decode()
    cell = html.split("field-price_incl_vat")[1].split("</td>")[0]
    assert "1.80" in cell or "1,80" in cell


def test_the_trail_shows_state_labels_and_a_translated_source(staff_client):
    """Given an order reserved by the system, its page shows "Nouvelle →
    Réservée" (not "11: new → reserved") and the source as a word staff
    read, in French."""
    from django.utils import translation

    order = make_order(lines=[(make_product(stock=5), 1)])
    t.order_reserve(order_id=order.pk)
    with translation.override("fr"):
        html = staff_client.get(f"/admin/order/order/{order.pk}/change/").content.decode()
        move = order.transitions.get()
        assert str(move) == f"{S.NEW.label} → {S.RESERVED.label}"
        assert f"{order.pk}: new → reserved" not in html
        assert str(move) in html
        assert ">automatique<" in html and ">system<" not in html


@pytest.mark.parametrize(
    ("rate", "language", "printed"),
    [("0.2000", "fr", "20\u00a0%"), ("0.055", "fr", "5,5\u00a0%"), ("0.055", "en", "5.5\u00a0%")],
)
def test_line_vat_rates_print_without_trailing_zeros(monkeypatch, rate, language, printed):
    from decimal import Decimal

    from django.contrib import admin
    from django.utils import translation

    from orders import admin as order_admin

    monkeypatch.setattr(order_admin, "order_line_rate", lambda line: Decimal(rate))
    inline = order_admin.OrderLineInline(Order, admin.site)
    with translation.override(language):
        assert inline.vat_rate(None) == printed


def test_payment_method_filter_lists_methods_on_offer_and_those_used(staff_client, monkeypatch):
    """Given PayPal and card not configured, the filter lists neither, unless
    an order was placed with one (then it lists that one, to find it)."""
    from billing.admin import payments as billing_admin
    from core.payment_methods import PaymentMethod

    offered = [m for m in PaymentMethod if not m.is_online]
    monkeypatch.setattr(billing_admin, "payment_methods_on_offer", lambda: offered)
    url = reverse("admin:order_order_changelist")

    def choices():
        page = staff_client.get(url)
        [spec] = [
            f
            for f in page.context["cl"].filter_specs
            if getattr(f, "parameter_name", "") == "payment_method"
        ]
        return {value for value, _label in spec.lookup_choices}

    assert choices() == {m.value for m in offered}
    make_order(lines=[(make_product(), 1)], payment_method=PaymentMethod.PAYPAL)
    assert choices() == {m.value for m in offered} | {PaymentMethod.PAYPAL.value}
    page = staff_client.get(url, {"payment_method": PaymentMethod.PAYPAL.value})
    assert [o.payment_method for o in page.context["cl"].result_list] == ["paypal"]

"""Issue 10, items 2 and 4, through the checkout: unpaid orders stay the
customer's until they commit, what they "saw" is what the review page
showed, and placing writes one email."""

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from core.outbox.services import messages_send_due
from orders.selectors import order_customer_actions, order_deadline, transfer_deadline
from orders.statuses import OrderStatus
from tests.factories import make_product

from .conftest import add_to_basket, place, reviewed, to_review

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payment", ["transfer", "cheque"])
def test_a_transfer_or_cheque_order_stays_reserved_editable_and_cancellable(
    client, france, payment
):
    """Issue 10: "orders paid by bank transfer or cheque jump straight to in
    progress when placed". Given a basket fully in stock, when it is placed
    for a transfer or a cheque, then it stays reserved, and the customer may
    still change it, cancel it or confirm it."""
    add_to_basket(client, make_product(stock=10), 2)
    to_review(client, payment=payment)

    place(client)

    order = Order.objects.get()
    assert (order.status, order.confirmation_required) == (OrderStatus.RESERVED, False)
    actions = order_customer_actions(order)
    assert (actions.confirm, actions.edit, actions.cancel) == (True, True, True)
    assert order.manager is None  # nobody is preparing it yet


def test_a_transfer_is_held_as_long_as_its_payment_window(client, france):
    """One deadline: the reservation of a transfer lasts its payment window."""
    add_to_basket(client, make_product(stock=10), 1)
    to_review(client, payment="transfer")
    place(client)
    order = Order.objects.get()
    assert order.reserved_until == transfer_deadline(order) == order_deadline(order)


def test_losing_a_stock_race_after_review_asks_for_confirmation(client, france):
    """Issue 10: "customers who lose a stock race are confirmed automatically
    with nothing held". Given the review page showed 5 available, when the
    stock is sold elsewhere before placing, then the order asks the customer
    to confirm, even for a commitment such as a card order paid later."""
    product = make_product(stock=5)
    add_to_basket(client, product, 2)
    to_review(client, payment="card")
    seen = reviewed(client)  # the page the customer has in front of them
    StockRecord.objects.filter(product=product).update(num_in_stock=0)

    place(client, seen["basket_id"], total=seen["total"])

    order = Order.objects.get()
    line = order.lines.get()
    assert (line.seen_num_available, line.num_allocated) == (5, 0)
    assert (order.status, order.confirmation_required) == (OrderStatus.RESERVED, True)


def test_placing_writes_one_email(client, france):
    """Issue 10: one email per change: placing (reserved) sends the confirmation only."""
    add_to_basket(client, make_product(stock=10), 1)
    to_review(client, payment="transfer")
    place(client)
    order = Order.objects.get()

    messages_send_due()

    assert [m.subject for m in mail.outbox] == [f"Order {order.number}: thank you for your order"]
    assert order.transitions.count() == 1


def test_the_order_page_tells_the_same_deadline(client, france, django_user_model):
    user = django_user_model.objects.create_user("amy", "amy@example.com", "pw-amy-42")
    client.force_login(user)
    add_to_basket(client, make_product(stock=10), 1)
    to_review(client, payment="transfer", guest=None)
    place(client)
    order = Order.objects.get()
    from django.utils import timezone
    from django.utils.formats import date_format

    told = date_format(timezone.localtime(order_deadline(order)), "DATETIME_FORMAT")
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    html = page.content.decode()
    assert "must reach us by <strong>" + told in html
    assert reverse("orders:edit", args=[order.number]) in html
    assert reverse("orders:cancel", args=[order.number]) in html
    messages_send_due()
    assert told in mail.outbox[-1].body

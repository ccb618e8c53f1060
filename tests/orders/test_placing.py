import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from core.outbox.selectors import messages_about
from orders.statuses import OrderStatus
from shop.customer.models import CustomerProfile
from tests.factories import make_product, stock_of

Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
pytestmark = pytest.mark.django_db


def place(basket, user=None, number="100001"):
    shipping = Free()
    charge = shipping.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=shipping,
        shipping_charge=charge,
        user=user,
        order_number=number,
        guest_email="" if user else "guest@example.com",
    )


def basket_with(*items):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def test_placing_reserves_once_under_our_rule_not_oscars():
    """Given 3 units in stock, when a basket of 5 is placed, then Oscar's own
    allocation is skipped and the reservation holds 3, 2 to order; the
    customer saw 3 available, so nothing needs confirming."""
    product = make_product(stock=3)

    order = place(basket_with((product, 5)))

    line = order.lines.get()
    assert order.status == OrderStatus.RESERVED
    assert (line.num_allocated, line.num_to_order, line.seen_num_available) == (3, 2, 3)
    assert stock_of(product) == (3, 3)
    assert not order.confirmation_required


def test_placing_records_language_and_sms_consent_from_the_account():
    user = get_user_model().objects.create_user("sam", "sam@example.com")
    CustomerProfile.objects.create(user=user, mobile="+33611223344", sms_opt_in=True)
    with translation.override("en"):
        order = place(basket_with((make_product(stock=9), 1)), user=user)
    assert (order.language, order.notify_phone, order.sms_opt_in) == ("en", "+33611223344", True)
    assert set(messages_about(order).values_list("channel", flat=True)) == {"email", "sms"}

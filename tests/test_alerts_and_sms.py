import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_class, get_model

from core import sms
from orders.services import transitions as t
from shop.alerts import product_alerts_send
from shop.customer.models import CustomerProfile
from tests.factories import StockRecord, make_order, make_product

ProductAlert = get_model("customer", "ProductAlert")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Dispatcher = get_class("communication.utils", "Dispatcher")
pytestmark = pytest.mark.django_db


def test_alert_waits_for_stock_then_is_sent_once():
    product = make_product(stock=0)
    alert = ProductAlert.objects.create(product=product, email="waiting@example.com")
    alert.confirm()  # a visitor's alert counts once they confirm their email

    assert product_alerts_send() == 0
    assert mail.outbox == []

    StockRecord.objects.filter(product=product).update(num_in_stock=3)
    assert product_alerts_send() == 1
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]
    assert product_alerts_send() == 0  # closed


def test_oscar_dispatcher_sends_sms_only_with_consent():
    """Oscar's own dispatcher raised NotImplementedError on SMS; ours sends
    to a customer who agreed, and skips one who did not."""
    sms.outbox.clear()
    User = get_user_model()
    yes = User.objects.create_user("yes", "yes@example.com")
    no = User.objects.create_user("no", "no@example.com")
    CustomerProfile.objects.create(user=yes, mobile="+33612345678", sms_opt_in=True)
    CustomerProfile.objects.create(user=no, mobile="+33698765432", sms_opt_in=False)
    messages = {"subject": "", "body": "", "html": "", "sms": "Votre commande est prête"}

    Dispatcher().dispatch_user_messages(yes, messages)
    Dispatcher().dispatch_user_messages(no, messages)

    assert sms.outbox == [{"to": "+33612345678", "body": "Votre commande est prête"}]


def test_orders_go_to_the_manager_on_the_account():
    User = get_user_model()
    User.objects.create_user("first", "first@example.com", is_staff=True)
    manager = User.objects.create_user("claire", "claire@example.com", is_staff=True)
    customer = User.objects.create_user("lab", "lab@example.com")
    CustomerProfile.objects.create(user=customer, manager=manager)
    order = make_order(lines=[(make_product(), 1)], user=customer, payment_method="mandate")

    t.order_reserve(order_id=order.pk)

    order.refresh_from_db()
    assert order.manager == manager

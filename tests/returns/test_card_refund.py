"""A card order's return is refunded to the card, through Stripe
(localstripe on 127.0.0.1), with a credit note in the customer's documents."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Payment
from orders.services import transitions as t
from returns.services import returns as r
from returns.services.refunds import return_refund
from tests.factories import make_order, make_product
from tests.payments.test_stripe import come_back, open_card_form
from tests.returns.conftest import deliver

pytestmark = pytest.mark.django_db


def paid_card_order(stripe_env, customer):
    order = make_order(lines=[(make_product(price="10.00"), 2)], user=customer)
    t.order_reserve(order_id=order.pk)
    client = Client()
    client.force_login(customer)
    open_card_form(client, order)
    payment = Payment.objects.get(order=order)
    stripe_env.confirm(payment.provider_id)
    come_back(client, order, payment.provider_id)
    order.refresh_from_db()
    assert order.is_paid and order.status == "picking", order.status
    return order, client


def test_card_refund_goes_back_through_stripe(stripe_env, customer, staff):
    order, client = paid_card_order(stripe_env, customer)
    deliver(order, days_ago=1)
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "withdrawal")]
    )
    r.return_accept(return_id=ret.pk, by=staff)
    r.return_receive(return_id=ret.pk, by=staff)
    r.return_inspect(return_id=ret.pk, by=staff)
    ret = return_refund(return_id=ret.pk, by=staff)

    refund = ret.refunds.get()
    assert refund.provider == "stripe" and refund.provider_id.startswith("re_")
    assert refund.amount == Decimal("12.00")
    assert [x.amount for x in stripe_env.client.v1.refunds.list().data] == [1200]
    documents = client.get(reverse("billing:documents")).content.decode()
    assert ret.credit_note.number in documents
    # Nothing more than paid: the other 12.00 is all that is left.
    assert ret.credit_note.total_incl_tax == Decimal("12.00")

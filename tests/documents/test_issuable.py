"""Rules as selectors (issue 11 item 3): the document buttons staff see are
exactly what the issuing services accept, in every state."""

import pytest

from billing.documents import invoicing
from billing.documents.exceptions import DocumentError
from billing.documents.selectors import customer_proforma_refusal, order_documents_issuable
from core.payment_methods import PaymentMethod
from orders.statuses import OrderStatus
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db
SERVICES = {
    "delivery_note": invoicing.delivery_note_issue,
    "proforma": invoicing.proforma_issue,
    "invoice": invoicing.invoice_issue,
}


def _accepted(kind, order) -> bool:
    try:
        SERVICES[kind](order_id=order.pk)
    except DocumentError:
        return False
    return True


@pytest.mark.parametrize("status", OrderStatus.values)
@pytest.mark.parametrize("method", ["card", "counter", "mandate"])
def test_issuable_documents_are_exactly_what_the_services_accept(customer, status, method):
    def order():
        return make_order(
            lines=[(make_product(stock=5, price="10.00"), 1)],
            user=customer,
            status=status,
            payment_method=method,
        )

    offered = order_documents_issuable(order())
    accepted = [kind for kind in SERVICES if _accepted(kind, order())]
    assert sorted(offered) == sorted(accepted)


@pytest.mark.parametrize("method", PaymentMethod.values)
def test_a_customer_proforma_is_offered_exactly_when_issued(customer, method):
    order = make_order(
        lines=[(make_product(stock=5, price="10.00"), 1)],
        user=customer,
        status=OrderStatus.RESERVED,
        payment_method=method,
    )
    offered = customer_proforma_refusal(order) is None
    try:
        invoicing.proforma_for_customer(order_id=order.pk, by=customer)
    except DocumentError:
        accepted = False
    else:
        accepted = True
    assert offered == accepted

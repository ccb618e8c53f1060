from datetime import timedelta

import pytest
from django.core import mail

from orders.exceptions import InvalidTransition
from orders.services.transitions import order_start_picking
from orders.statuses import OrderStatus
from procurement.exceptions import ProcurementError
from procurement.models import SupplierOrderState
from procurement.services import supplier_orders as so
from procurement.services.acceptance import purchase_order_attach
from procurement.services.requests import LineInput
from tests.procurement.conftest import checked, offer, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer, institution, suppliers, staff):
    """An institution's order from a two-line quote, one line per supplier."""
    from procurement.services.quotes import quote_send

    qr = submit(
        buyer,
        entity=institution,
        lines=[LineInput(quantity=2, description="Probe"), LineInput(quantity=5, part_number="X1")],
    )
    first, second = qr.lines.order_by("position")
    first.chosen_offer = offer(first, suppliers[0], lead=3)
    first.save()
    second.chosen_offer = offer(second, suppliers[1], lead=8)
    second.save()
    quote = quote_send(request_id=qr.pk, by=staff)
    purchase_order_attach(
        quote_id=quote.pk,
        customer=buyer,
        number="BC-7",
        upload=checked(),
        legal_entity_id=institution.pk,
    )
    quote.refresh_from_db()
    return quote.order


def test_supplier_orders_group_the_lines_by_chosen_supplier_once(order, staff, suppliers):
    created = so.supplier_orders_create(order_id=order.pk, by=staff)

    assert [(s.supplier, s.state, s.lines.get().quantity) for s in created] == [
        (suppliers[0], SupplierOrderState.TO_ORDER, 2),
        (suppliers[1], SupplierOrderState.TO_ORDER, 5),
    ]
    with pytest.raises(ProcurementError, match="Nothing left to order"):
        so.supplier_orders_create(order_id=order.pk, by=staff)


def test_tracking_a_supplier_order_and_receiving_lets_the_order_go_to_picking(order, staff):
    """Given an institution's order on mandate waiting for two supplier
    orders, picking is refused until every line is received and matches."""
    first, second = so.supplier_orders_create(order_id=order.pk, by=staff)
    with pytest.raises(InvalidTransition, match="still awaited"):
        order_start_picking(order_id=order.pk, by=staff)
    with pytest.raises(ProcurementError, match="supplier's order number"):
        so.supplier_order_mark_ordered(
            supplier_order_id=first.pk, by=staff, supplier_order_number=""
        )

    so.supplier_order_mark_ordered(
        supplier_order_id=first.pk, by=staff, supplier_order_number="F-1"
    )
    so.supplier_order_mark_in_transit(supplier_order_id=first.pk, by=staff, tracking_number="TRK")
    line = first.lines.get()
    so.goods_receipt_record(
        supplier_order_id=first.pk, by=staff, lines=[so.ReceivedLine(line.pk, 2)]
    )
    first.refresh_from_db()
    assert (first.state, first.tracking_number) == (SupplierOrderState.RECEIVED, "TRK")

    so.supplier_order_mark_ordered(supplier_order_id=second.pk, by=staff, supplier_order_number="R")
    line = second.lines.get()
    so.goods_receipt_record(
        supplier_order_id=second.pk,
        by=staff,
        lines=[so.ReceivedLine(line.pk, 5, matches=False, note="wrong package")],
    )
    second.refresh_from_db()
    assert second.state == SupplierOrderState.PROBLEM  # a mismatch counts for nothing
    with pytest.raises(InvalidTransition):
        order_start_picking(order_id=order.pk, by=staff)

    so.goods_receipt_record(
        supplier_order_id=second.pk, by=staff, lines=[so.ReceivedLine(line.pk, 5)]
    )
    order = order_start_picking(order_id=order.pk, by=staff)
    assert order.status == OrderStatus.PICKING


def test_illegal_supplier_order_moves_and_empty_receipts_are_refused(order, staff):
    first, _second = so.supplier_orders_create(order_id=order.pk, by=staff)
    line = first.lines.get()
    with pytest.raises(ProcurementError, match="nothing to receive"):
        so.goods_receipt_record(
            supplier_order_id=first.pk, by=staff, lines=[so.ReceivedLine(line.pk, 1)]
        )
    with pytest.raises(ProcurementError, match="cannot go from"):
        so.supplier_order_mark_in_transit(supplier_order_id=first.pk, by=staff, tracking_number="T")
    so.supplier_order_mark_ordered(supplier_order_id=first.pk, by=staff, supplier_order_number="F")
    with pytest.raises(ProcurementError, match="at least one line"):
        so.goods_receipt_record(
            supplier_order_id=first.pk, by=staff, lines=[so.ReceivedLine(line.pk, 0)]
        )


def test_the_daily_digest_lists_late_orders_once_a_day(order, staff, settings):
    from core.outbox.services import messages_send_due

    settings.COMPTOIR_PROCUREMENT_DIGEST_TO = ["achats@comptoir.example"]
    first, _second = so.supplier_orders_create(order_id=order.pk, by=staff)
    so.supplier_order_mark_ordered(
        supplier_order_id=first.pk, by=staff, supplier_order_number="F-9"
    )
    today = first.expected_on + timedelta(days=1)

    assert so.supplier_orders_digest(today=first.expected_on) == 0
    assert so.supplier_orders_digest(today=today) == 1
    assert so.supplier_orders_digest(today=today) == 1
    messages_send_due()

    digests = [m for m in mail.outbox if m.to == ["achats@comptoir.example"]]
    assert len(digests) == 1
    assert "F-9" in digests[0].body and "Farnell" in digests[0].body

"""Staff steps in the admin, each through its service."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import QuoteRequest, RequestState, SupplierOrder, SupplierOrderState
from procurement.services.requests import LineInput
from tests.procurement.conftest import offer, quoted, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_the_queue_lists_requests_by_state_and_age(admin_client, buyer):
    qr = submit(buyer)
    QuoteRequest.objects.filter(pk=qr.pk).update(created_at=timezone.now() - timedelta(days=4))
    url = reverse("admin:procurement_quoterequest_changelist")

    page = admin_client.get(url + "?state__exact=submitted").content.decode()
    assert qr.number in page and '<td class="field-age">4</td>' in page
    assert qr.number not in admin_client.get(url + "?state__exact=quoted").content.decode()


def test_staff_claim_add_offers_see_the_best_choose_and_send(admin_client, buyer, staff, suppliers):
    today = timezone.localdate()
    qr = submit(
        buyer, lines=[LineInput(quantity=4, description="x", wished_date=today + timedelta(days=4))]
    )
    line = qr.lines.get()
    admin_client.post(reverse("admin:procurement_claim", args=[qr.pk]))
    qr.refresh_from_db()
    assert (qr.state, qr.claimed_by) == (RequestState.RESEARCHING, staff)

    response = admin_client.post(
        reverse("admin:procurement_quoterequestline_change", args=[line.pk]),
        {
            "request": qr.pk,
            "position": 1,
            "description": "x",
            "quantity": 4,
            "wished_date": (today + timedelta(days=4)).isoformat(),
            "offers-TOTAL_FORMS": 2,
            "offers-INITIAL_FORMS": 0,
            "offers-0-supplier": suppliers[0].pk,
            "offers-0-unit_cost": "8.00",
            "offers-0-currency": "EUR",
            "offers-0-exchange_rate": "1",
            "offers-0-lead_time_days": 10,
            "offers-0-shipping_cost": "0",
            "offers-1-supplier": suppliers[1].pk,
            "offers-1-unit_cost": "9.00",
            "offers-1-currency": "EUR",
            "offers-1-exchange_rate": "1",
            "offers-1-lead_time_days": 2,
            "offers-1-shipping_cost": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert line.offers.count() == 2
    fast = line.offers.get(supplier=suppliers[1])

    page = admin_client.get(reverse("admin:procurement_quoterequest_change", args=[qr.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    best_row = html[
        html.index('<tr class="best') : html.index("</tr>", html.index('<tr class="best'))
    ]
    assert suppliers[1].name in best_row  # the slow cheap one misses the date

    admin_client.post(reverse("admin:procurement_choose_best", args=[qr.pk]))
    line.refresh_from_db()
    assert line.chosen_offer == fast

    response = admin_client.post(
        reverse("admin:procurement_send", args=[qr.pk]),
        {"handling_fee": "10.00", "research_fee": "0", "validity_days": "15", "shipping": ""},
    )
    qr.refresh_from_db()
    assert response.status_code == 302 and qr.state == RequestState.QUOTED
    assert qr.quote.valid_until == today + timedelta(days=15)
    assert qr.quote.total_excl_tax == 4 * pricing_unit("9.00") + 4 + 10


def pricing_unit(cost):
    from decimal import Decimal

    return (Decimal(cost) * Decimal("1.25")).quantize(Decimal("0.01"))


def test_a_refused_step_shows_its_reason(admin_client, buyer):
    qr = submit(buyer)
    response = admin_client.post(
        reverse("admin:procurement_send", args=[qr.pk]),
        {"handling_fee": "10", "research_fee": "0", "validity_days": "30"},
        follow=True,
    )
    assert "Choose a supplier offer for line(s) 1 first." in response.content.decode()
    assert QuoteRequest.objects.get().state == RequestState.SUBMITTED


def test_supplier_order_steps_in_the_admin(admin_client, buyer, institution, suppliers, staff):
    from procurement.services.acceptance import purchase_order_attach
    from tests.procurement.conftest import checked

    quote = quoted(buyer, suppliers, staff, entity=institution)
    purchase_order_attach(
        quote_id=quote.pk,
        customer=buyer,
        number="BC",
        upload=checked(),
        legal_entity_id=institution.pk,
    )
    admin_client.post(reverse("admin:procurement_supplier_orders", args=[quote.request.pk]))
    supplier_order = SupplierOrder.objects.get()
    change = reverse("admin:procurement_supplierorder_change", args=[supplier_order.pk])
    assert "Mark ordered" in admin_client.get(change).content.decode()

    admin_client.post(
        reverse("admin:procurement_so_ordered", args=[supplier_order.pk]),
        {"supplier_order_number": "FAR-1", "expected_on": "", "note": ""},
    )
    line = supplier_order.lines.get()
    admin_client.post(
        reverse("admin:procurement_so_receive", args=[supplier_order.pk]),
        {f"qty_{line.pk}": "2", f"matches_{line.pk}": "on", f"note_{line.pk}": "", "note": "ok"},
    )
    supplier_order.refresh_from_db()
    assert supplier_order.state == SupplierOrderState.RECEIVED
    assert supplier_order.receipts.get().lines.get().quantity == 2
    assert admin_client.get(reverse("admin:procurement_goodsreceipt_changelist")).status_code == 200


def test_offers_are_frozen_once_quoted(admin_client, buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    line = quote.request.lines.get()
    other = offer(line, suppliers[1], cost="1.00")
    response = admin_client.post(reverse("admin:procurement_choose", args=[other.pk]), follow=True)
    assert "can no longer change" in response.content.decode()
    line.refresh_from_db()
    assert line.chosen_offer != other


def test_a_quoted_requests_lines_and_offers_are_read_only(admin_client, buyer, suppliers, staff):
    """F6: once the quote is sent, its request's lines, quantities and
    offers are shown, not editable; no delete; the page stays narrow (F9)
    and the two organisation fields have distinct labels (F17)."""
    quote = quoted(buyer, suppliers, staff)
    qr, line = quote.request, quote.request.lines.get()
    page = admin_client.get(
        reverse("admin:procurement_quoterequest_change", args=[qr.pk])
    ).content.decode()
    assert 'name="lines-0-quantity"' not in page and 'name="lines-0-part_number"' not in page
    assert "Delete" not in page and "organisation name typed by the customer" in page

    line_page = admin_client.get(
        reverse("admin:procurement_quoterequestline_change", args=[line.pk])
    ).content.decode()
    assert 'name="quantity"' not in line_page and 'name="offers-0-unit_cost"' not in line_page
    assert f'name="offers-TOTAL_FORMS" value="{line.offers.count()}"' in line_page  # none blank


def test_an_open_requests_lines_use_small_widgets(admin_client, buyer):
    qr = submit(buyer)
    page = admin_client.get(
        reverse("admin:procurement_quoterequest_change", args=[qr.pk])
    ).content.decode()
    assert 'name="lines-0-quantity"' in page
    assert 'cols="30" rows="2"' in page and 'name="lines-0-description"' in page

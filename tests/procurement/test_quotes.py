from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from orders.statuses import OrderStatus
from procurement.exceptions import ProcurementError
from procurement.models import PurchaseOrder, QuoteRequest, RequestState
from procurement.services import pricing
from procurement.services.acceptance import purchase_order_attach, quote_accept, quote_decline
from procurement.services.documents import quote_pdf_bytes
from procurement.services.quotes import quote_send, quotes_expire
from procurement.services.requests import LineInput
from tests.procurement.conftest import checked, offer, png_bytes, quoted, submit

pytestmark = pytest.mark.django_db


def send_outbox():
    from core.outbox.services import messages_send_due

    return messages_send_due()


def test_best_offer_is_the_cheapest_landed_that_meets_the_date(buyer, suppliers):
    """Given a line wished in 5 days, a cheap offer arriving in 10 days and
    a dearer one in 3, then the dearer one is best; with no date, the
    cheapest landed cost wins; when none meets the date, the fastest."""
    farnell, rs = suppliers
    today = timezone.localdate()
    qr = submit(
        buyer,
        lines=[LineInput(quantity=10, description="x", wished_date=today + timedelta(days=5))],
    )
    line = qr.lines.get()
    slow_cheap = offer(line, farnell, cost="1.00", lead=10, shipping="0")
    fast_dear = offer(line, rs, cost="2.00", lead=3, shipping="5")

    assert pricing.landed_cost(fast_dear, 10) == Decimal("25.00")
    assert pricing.best_offer(line, today=today) == fast_dear
    line.wished_date = None
    assert pricing.best_offer(line, today=today) == slow_cheap
    line.wished_date = today + timedelta(days=1)
    assert pricing.best_offer(line, today=today) == fast_dear  # none meets it: fastest
    fast_dear.valid_until = today - timedelta(days=1)
    fast_dear.save()
    assert pricing.best_offer(line, today=today) == slow_cheap  # expired offers never win


def test_resale_price_uses_the_typed_margin_else_the_category(buyer, suppliers, settings):
    settings.COMPTOIR_PROCUREMENT_MARGINS = {"default": "0.25", "lab": "0.10"}
    line = submit(buyer).lines.get()
    usd = offer(line, suppliers[0], cost="10.00", currency="USD", exchange_rate=Decimal("0.9"))

    assert pricing.resale_unit_price(usd, pricing.margin_for(line)) == Decimal("11.25")
    line.category = "lab"
    assert pricing.margin_for(line) == Decimal("0.10")
    line.margin = Decimal("0.5")
    assert pricing.resale_unit_price(usd, pricing.margin_for(line)) == Decimal("13.50")


def test_sending_prices_numbers_renders_and_emails_the_quote(buyer, suppliers, staff, settings):
    """Given two offers with the cheaper chosen, 25 % margin, 15 € handling,
    when staff send the quote, then 2 × 12.50 + 5 shipping + 15 + 20 %
    VAT, valid 30 days, a PDF, and an email to the customer."""
    settings.COMPTOIR_PROCUREMENT_HANDLING_FEE = "15.00"
    quote = quoted(buyer, suppliers, staff, research_fee=Decimal("0"))

    line = quote.lines.get()
    assert (line.unit_price_excl_tax, line.line_price_excl_tax) == (
        Decimal("12.50"),
        Decimal("25.00"),
    )
    assert (quote.shipping_excl_tax, quote.handling_fee) == (Decimal("5.00"), Decimal("15.00"))
    assert (quote.total_excl_tax, quote.total_tax, quote.total_incl_tax) == (
        Decimal("45.00"),
        Decimal("9.00"),
        Decimal("54.00"),
    )
    assert quote.valid_until == timezone.localdate() + timedelta(days=30)
    assert quote.request.state == RequestState.QUOTED and quote.number
    assert quote_pdf_bytes(quote).startswith(b"%PDF-")
    # Numbered and rendered by the documents app, in the quote sequence.
    from billing.models import Document

    document = Document.objects.get(pk=quote.document_id)
    assert (document.kind, document.number, document.customer) == ("quote", quote.number, buyer)
    assert document.total_incl_tax == quote.total_incl_tax
    send_outbox()
    assert quote.number in mail.outbox[-1].subject


def test_a_quote_needs_an_offer_chosen_for_every_line(buyer, staff):
    qr = submit(buyer)
    with pytest.raises(ProcurementError, match="Choose a supplier offer for line"):
        quote_send(request_id=qr.pk, by=staff)
    assert QuoteRequest.objects.get().state == RequestState.SUBMITTED


def test_a_company_accepts_and_gets_an_order_at_the_quoted_prices(buyer, suppliers, staff):
    """Given a quote, when the buyer accepts to pay by transfer, then an
    order with product-less lines at the quoted prices, the fees as lines
    and shipping as the shipping charge is placed and goes on (paid later);
    its quoted line is awaited from the supplier."""
    quote = quoted(buyer, suppliers, staff)

    order = quote_accept(quote_id=quote.pk, customer=buyer, payment_method="transfer")

    assert order.total_incl_tax == quote.total_incl_tax
    assert order.shipping_excl_tax == quote.shipping_excl_tax
    lines = list(order.lines.order_by("pk"))
    assert [(line.product_id, line.unit_price_excl_tax, line.num_to_order) for line in lines] == [
        (None, Decimal("12.50"), 2),
        (None, Decimal("15.00"), 0),
    ]
    # Unpaid and not a purchase order: it waits for the customer or the
    # transfer (issue 10), and the request is ordered once the order goes on.
    assert order.status == OrderStatus.RESERVED and order.payment_method == "transfer"
    assert QuoteRequest.objects.get().state == RequestState.ACCEPTED
    # Its own number, in checkout's sequence, not the quote's (F14).
    assert order.number != quote.number and order.number.isdigit()


def test_a_card_payer_waits_for_payment_and_the_request_follows(buyer, suppliers, staff):
    from orders.services.transitions import order_payment_received

    quote = quoted(buyer, suppliers, staff)
    order = quote_accept(quote_id=quote.pk, customer=buyer, payment_method="card")
    assert order.status == OrderStatus.RESERVED
    assert QuoteRequest.objects.get().state == RequestState.ACCEPTED

    order_payment_received(order_id=order.pk)

    assert QuoteRequest.objects.get().state == RequestState.ORDERED


def test_an_institution_accepts_with_its_purchase_order(buyer, institution, suppliers, staff):
    quote = quoted(buyer, suppliers, staff, entity=institution)

    po = purchase_order_attach(
        quote_id=quote.pk,
        customer=buyer,
        number="BC-2026-0042",
        upload=checked("bc.pdf"),
        legal_entity_id=institution.pk,
    )

    quote.refresh_from_db()
    order = quote.order
    assert (order.status, order.payment_method) == (OrderStatus.IN_PROGRESS, "mandate")
    assert (order.purchase_order_number, order.legal_entity) == ("BC-2026-0042", institution)
    assert po.file.read().startswith(b"%PDF-")
    assert QuoteRequest.objects.get().state == RequestState.ORDERED


@pytest.mark.parametrize("who", ["other", "anonymous"])
def test_someone_elses_quote_cannot_be_accepted(buyer, other, suppliers, staff, who):
    quote = quoted(buyer, suppliers, staff)
    customer = other if who == "other" else None

    with pytest.raises(ProcurementError, match="does not exist"):
        quote_accept(quote_id=quote.pk, customer=customer, payment_method="card")
    with pytest.raises(ProcurementError, match="does not exist"):
        quote_decline(quote_id=quote.pk, customer=customer)
    assert QuoteRequest.objects.get().state == RequestState.QUOTED


def test_a_purchase_order_on_someone_elses_quote_is_refused(buyer, other, suppliers, staff):
    from shop.customer.models import LegalEntity

    quote = quoted(buyer, suppliers, staff)
    theirs = LegalEntity.objects.create(
        user=other,
        kind="public",
        name="Lycée",
        line1="x",
        postcode="69001",
        city="Lyon",
        verified_at=timezone.now(),
    )
    with pytest.raises(ProcurementError, match="does not exist"):
        purchase_order_attach(
            quote_id=quote.pk,
            customer=other,
            number="PO1",
            upload=checked(),
            legal_entity_id=theirs.pk,
        )
    assert not PurchaseOrder.objects.exists()


def test_an_unverified_body_or_an_image_cannot_order_by_purchase_order(
    buyer, institution, suppliers, staff
):
    quote = quoted(buyer, suppliers, staff)
    with pytest.raises(ProcurementError, match="must be a PDF"):
        purchase_order_attach(
            quote_id=quote.pk,
            customer=buyer,
            number="PO1",
            upload=checked("bc.png", png_bytes()),
            legal_entity_id=institution.pk,
        )
    institution.verified_at = None
    institution.save()
    with pytest.raises(ProcurementError, match="verified by our staff"):
        purchase_order_attach(
            quote_id=quote.pk,
            customer=buyer,
            number="PO1",
            upload=checked(),
            legal_entity_id=institution.pk,
        )
    assert not PurchaseOrder.objects.exists()


def test_an_expired_quote_cannot_be_accepted(buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    quote.valid_until = timezone.localdate() - timedelta(days=1)
    quote.save()

    with pytest.raises(ProcurementError, match="has expired"):
        quote_accept(quote_id=quote.pk, customer=buyer, payment_method="transfer")
    quote.refresh_from_db()
    assert quote.order is None


def test_declining_records_the_reason(buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    quote_decline(quote_id=quote.pk, customer=buyer, reason="Too dear")
    quote.refresh_from_db()
    assert quote.decline_reason == "Too dear"
    event = quote.request.events.last()
    assert (event.to_status, event.note, event.by) == ("declined", "Too dear", buyer)
    with pytest.raises(ProcurementError, match="can no longer be accepted"):
        quote_accept(quote_id=quote.pk, customer=buyer, payment_method="card")


def test_expiry_job_is_idempotent_and_tells_the_customer_once(buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    later = quote.valid_until + timedelta(days=1)

    assert quotes_expire(today=quote.valid_until) == 0
    assert quotes_expire(today=later) == 1
    assert quotes_expire(today=later) == 0
    send_outbox()

    assert QuoteRequest.objects.get().state == RequestState.EXPIRED
    # The notice goes out in the customer's language.
    with translation.override(quote.request.language):
        subject = gettext("Your quote %(number)s has expired") % {"number": quote.number}
    assert [m.subject for m in mail.outbox].count(subject) == 1

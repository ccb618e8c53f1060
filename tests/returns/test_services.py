"""Returns, step by step, and every fault the issue names: outside the
window, more units than delivered or already returned, twice for the same
units, a refund larger than paid; stock back through the stock service;
the refund deadline in French business days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from billing.models import Document, Payment
from core.business_days import add_business_days
from core.outbox.services import messages_send_due
from returns import selectors as sel
from returns.exceptions import ReturnError
from returns.models import Return
from returns.services import returns as r
from returns.services.digest import refunds_late_digest
from returns.services.refunds import return_refund
from tests.factories import stock_of

pytestmark = pytest.mark.django_db
D = Decimal
IBAN = "FR14 2004 1010 0505 0001 3M02 606"


def ask(order, customer, units=1, reason="withdrawal"):
    line = order.lines.get()
    return r.return_request(
        order_id=order.pk, customer=customer, lines=[(line.pk, units, reason)], comment="Too many"
    )


def to_inspected(ret, staff):
    r.return_accept(return_id=ret.pk, by=staff, message="OK, send it back.")
    r.return_ship(
        return_id=ret.pk, customer=ret.customer, carrier="La Poste", tracking_number="8R1"
    )
    r.return_receive(return_id=ret.pk, by=staff)
    return r.return_inspect(return_id=ret.pk, by=staff)


def test_the_whole_return_numbers_restocks_refunds_and_credits(delivered_order, customer, staff):
    order = delivered_order(units=3, price="10.00")
    product = order.lines.get().product
    assert stock_of(product) == (17, 0)
    ret = ask(order, customer, units=2)
    assert (ret.status, ret.number) == ("requested", None)

    r.return_accept(return_id=ret.pk, by=staff)
    ret.refresh_from_db()
    assert ret.number == f"RMA-{timezone.localdate().year}-00001"
    r.return_ship(return_id=ret.pk, customer=customer, carrier="La Poste", tracking_number="8R1")
    r.return_receive(return_id=ret.pk, by=staff)
    assert stock_of(product) == (19, 0)  # two sound units back on the shelf
    ret = r.return_inspect(return_id=ret.pk, by=staff)
    assert (ret.refund_goods, ret.refund_shipping, ret.refund_amount) == (D("24.00"), 0, D("24.00"))

    with pytest.raises(ReturnError, match="bank account"):
        return_refund(return_id=ret.pk, by=staff)
    r.return_bank_details(return_id=ret.pk, customer=customer, holder="Alice Martin", iban=IBAN)
    ret = return_refund(return_id=ret.pk, by=staff)
    assert ret.status == "refunded"
    refund = Payment.objects.get(kind="refund")
    assert (refund.amount, refund.status, refund.method) == (D("24.00"), "succeeded", "transfer")
    note = ret.credit_note
    assert note.kind == "credit_note" and note.total_incl_tax == D("24.00")
    assert note.customer == customer and note.refers_to.kind == "invoice"
    assert list(ret.transitions.values_list("to_status", flat=True)) == [
        "requested",
        "accepted",
        "in_transit",
        "received",
        "inspected",
        "refunded",
    ]
    assert ret.transitions.get(to_status="accepted").by == staff


def test_each_customer_facing_move_emails_the_customer(delivered_order, customer, staff):
    order = delivered_order()
    ret = ask(order, customer)
    r.return_accept(return_id=ret.pk, by=staff)
    messages_send_due()
    subjects = [m.subject for m in mail.outbox if m.to == ["alice@example.com"]]
    assert any("requested" in s.lower() or "demand" in s.lower() for s in subjects), subjects
    assert any("RMA-" in s for s in subjects), subjects


def test_refused_with_the_reason(delivered_order, customer, staff):
    ret = ask(delivered_order(), customer)
    with pytest.raises(ReturnError, match="why"):
        r.return_refuse(return_id=ret.pk, by=staff, message=" ")
    r.return_refuse(return_id=ret.pk, by=staff, message="Used and scratched.")
    ret.refresh_from_db()
    assert ret.status == "refused" and ret.number is None
    # A refused return holds no units: they may be asked again.
    assert sel.returnable_lines(ret.order)[0].available == 3


def test_outside_the_window_is_refused(delivered_order, customer, settings):
    order = delivered_order(days_ago=15)
    assert "14 days" in sel.order_return_refusal(order)
    with pytest.raises(ReturnError, match="14 days"):
        ask(order, customer)
    settings.COMPTOIR_RETURN_DAYS = 30
    assert sel.order_return_refusal(order) is None


def test_an_order_not_delivered_cannot_be_returned(customer):
    from tests.returns.conftest import transfer_order

    order = transfer_order(customer)
    assert "delivered" in sel.order_return_refusal(order)
    with pytest.raises(ReturnError):
        ask(order, customer)


def test_more_units_than_delivered_is_refused(delivered_order, customer):
    order = delivered_order(units=3)
    with pytest.raises(ReturnError, match="3 delivered"):
        ask(order, customer, units=4)
    assert not Return.objects.exists()


def test_twice_for_the_same_units_is_refused(delivered_order, customer):
    order = delivered_order(units=3)
    ask(order, customer, units=2)
    with pytest.raises(ReturnError, match="1 unit"):
        ask(order, customer, units=2)
    ask(order, customer, units=1)  # the last one is still free
    assert "already in a return" in sel.order_return_refusal(order)
    with pytest.raises(ReturnError):
        ask(order, customer, units=1)


def test_another_customers_order_is_refused_by_the_service(delivered_order, other_customer):
    order = delivered_order()
    with pytest.raises(ReturnError, match="not yours"):
        ask(order, other_customer)


def test_a_refund_larger_than_paid_is_refused(delivered_order, customer, staff):
    order = delivered_order(units=2, price="10.00")  # 24.00 paid
    ret = to_inspected(ask(order, customer, units=2), staff)
    r.return_bank_details(return_id=ret.pk, customer=customer, holder="A", iban=IBAN)
    with pytest.raises(ReturnError, match=r"more than the €24\.00 paid"):
        return_refund(return_id=ret.pk, by=staff, amount=D("24.01"))
    ret.refresh_from_db()
    assert ret.status == "inspected"
    assert not Payment.objects.filter(kind="refund").exists()
    assert not Document.objects.filter(kind="credit_note").exists()
    # A smaller amount (goods worn) is credited pro rata.
    ret = return_refund(return_id=ret.pk, by=staff, amount=D("12.00"))
    assert ret.credit_note.total_incl_tax == D("12.00")


def test_software_and_sourced_goods_only_when_defective(delivered_order, customer):
    order = delivered_order()
    product = order.lines.get().product
    product.return_exclusion = "software"
    product.save()
    with pytest.raises(ReturnError, match="Activated software"):
        ask(order, customer, reason="withdrawal")
    assert ask(order, customer, reason="defect").status == "requested"


def test_a_bad_iban_is_refused(delivered_order, customer):
    ret = ask(delivered_order(), customer)
    with pytest.raises(ReturnError, match="IBAN"):
        r.return_bank_details(return_id=ret.pk, customer=customer, holder="A", iban=IBAN[:-1] + "7")


def test_only_legal_moves(delivered_order, customer, staff):
    ret = ask(delivered_order(), customer)
    with pytest.raises(ReturnError, match="cannot go"):
        r.return_receive(return_id=ret.pk, by=staff)
    with pytest.raises(ReturnError, match="cannot go"):
        return_refund(return_id=ret.pk, by=staff)


def test_a_full_withdrawal_refunds_the_standard_delivery(customer, staff):
    from tests.returns.conftest import deliver, transfer_order

    # Express delivery 10.00 excl. (12.00 incl.); goods 3 × 10.00 = 36.00 incl.
    order = deliver(transfer_order(customer, units=3, shipping="10.00"), days_ago=1)
    ret = to_inspected(ask(order, customer, units=3), staff)
    assert ret.refund_shipping == D("6.90")  # the standard parcel, not the express
    assert ret.refund_amount == D("36.00") + D("6.90")
    # Partial returns refund no delivery.
    order2 = deliver(transfer_order(customer, units=3, shipping="10.00"), days_ago=1)
    partial = to_inspected(ask(order2, customer, units=2), staff)
    assert partial.refund_shipping == 0


def test_a_full_return_of_defective_goods_refunds_the_whole_delivery(customer, staff):
    from tests.returns.conftest import deliver, transfer_order

    order = deliver(transfer_order(customer, units=1, shipping="10.00"), days_ago=1)
    ret = to_inspected(ask(order, customer, units=1, reason="defect"), staff)
    assert ret.refund_shipping == D("12.00")


def test_refund_deadline_counts_french_business_days():
    # 2026-07-10 is a Friday; 13 Monday, 14 July a holiday.
    assert add_business_days(date(2026, 7, 10), 1) == date(2026, 7, 13)
    assert add_business_days(date(2026, 7, 13), 1) == date(2026, 7, 15)
    # Received Thursday 24 Dec 2026: 25 Dec holiday, weekend, 1 Jan holiday.
    assert add_business_days(date(2026, 12, 24), 7) == date(2027, 1, 6)


def test_returns_at_risk_and_the_daily_digest(delivered_order, customer, staff):
    ret = ask(delivered_order(), customer)
    r.return_accept(return_id=ret.pk, by=staff)
    r.return_receive(return_id=ret.pk, by=staff)
    received = timezone.now() - timedelta(days=20)
    Return.objects.filter(pk=ret.pk).update(received_at=received)
    ret.refresh_from_db()
    assert sel.return_past_due(ret) and sel.return_at_risk(ret)
    fresh = ask(delivered_order(), customer)
    r.return_accept(return_id=fresh.pk, by=staff)
    r.return_receive(return_id=fresh.pk, by=staff)
    assert [x.pk for x in sel.returns_past_due()] == [ret.pk]

    mail.outbox.clear()
    assert refunds_late_digest() == 1
    assert refunds_late_digest() == 1  # twice: one email per recipient and day
    messages_send_due()
    digest = [m for m in mail.outbox if m.to == ["chef@example.com"]]
    assert len(digest) == 1 and ret.number in digest[0].body


def test_receiving_puts_back_only_sound_units(delivered_order, customer, staff):
    order = delivered_order(units=3)
    product = order.lines.get().product
    ret = ask(order, customer, units=3, reason="defect")
    r.return_accept(return_id=ret.pk, by=staff)
    row = ret.lines.get()
    with pytest.raises(ReturnError):
        r.return_receive(return_id=ret.pk, by=staff, sound={row.pk: 4})
    r.return_receive(return_id=ret.pk, by=staff, sound={row.pk: 1})
    assert stock_of(product) == (18, 0)
    row.refresh_from_db()
    assert row.restocked == 1


def test_exchange_places_a_free_replacement(delivered_order, customer, staff):
    order = delivered_order(units=2)
    ret = to_inspected(ask(order, customer, units=1, reason="defect"), staff)
    ret = r.return_exchange(return_id=ret.pk, by=staff)
    replacement = ret.exchange_order
    assert ret.status == "exchanged"
    assert replacement.user == customer and replacement.total_incl_tax == 0
    assert replacement.is_paid and replacement.status in ("in_progress", "picking")
    assert replacement.lines.get().quantity == 1


def test_numbers_follow_each_other_per_year(delivered_order, customer, staff):
    first, second = ask(delivered_order(), customer), ask(delivered_order(), customer)
    r.return_accept(return_id=second.pk, by=staff)
    r.return_accept(return_id=first.pk, by=staff)
    first.refresh_from_db()
    second.refresh_from_db()
    year = timezone.localdate().year
    assert (second.number, first.number) == (f"RMA-{year}-00001", f"RMA-{year}-00002")


def test_a_claim_refund_credits_and_refunds_the_claimed_items(delivered_order, customer, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from returns.services import claims
    from tests.returns.test_views import png

    order = delivered_order(units=3, price="10.00")
    photo = SimpleUploadedFile("box.png", png(), content_type="image/png")
    claim = claims.claim_open(
        order_id=order.pk,
        customer=customer,
        kind="missing",
        description="One probe missing",
        lines=[(order.lines.get().pk, 1)],
        photos=[photo],
    )
    assert claim.conversation.kind == "claim"
    with pytest.raises(ReturnError, match="already open"):
        claims.claim_open(
            order_id=order.pk, customer=customer, kind="missing", description="x", lines=[]
        )
    claim = claims.claim_refund(claim_id=claim.pk, by=staff, message="Refunded, sorry.")
    assert (claim.status, claim.refund_amount) == ("refunded", D("12.00"))
    assert claim.credit_note.total_incl_tax == D("12.00")
    assert Payment.objects.get(kind="refund").amount == D("12.00")
    with pytest.raises(ReturnError, match="settled"):
        claims.claim_refund(claim_id=claim.pk, by=staff)


def test_the_digest_is_a_daily_beat_job():
    from shop.beat import beat_schedule
    from shop.celery import app

    entry = beat_schedule()["returns-refunds-digest"]
    assert entry["task"] == "returns.tasks.returns_refunds_digest"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_an_item_is_never_refunded_twice_by_a_return_and_a_claim(delivered_order, customer, staff):
    from returns.services import claims

    order = delivered_order(units=2, price="10.00")
    line = order.lines.get()
    # A return of 1 unit, refunded: a claim may name only the other unit.
    ret = to_inspected(ask(order, customer, units=1), staff)
    r.return_bank_details(return_id=ret.pk, customer=customer, holder="A", iban=IBAN)
    return_refund(return_id=ret.pk, by=staff)
    with pytest.raises(ReturnError, match="1 unit"):
        claims.claim_open(
            order_id=order.pk,
            customer=customer,
            kind="missing",
            description="Two missing",
            lines=[(line.pk, 2)],
        )
    claim = claims.claim_open(
        order_id=order.pk,
        customer=customer,
        kind="missing",
        description="One",
        lines=[(line.pk, 1)],
    )
    # The claim refunded: nothing is left open for a return, the form offers none.
    claims.claim_refund(claim_id=claim.pk, by=staff, amount=None, message="")
    assert [item.available for item in sel.returnable_lines(order)] == [0]
    with pytest.raises(ReturnError):
        ask(order, customer, units=1)


def test_the_return_form_offers_one_unit_less_after_a_claim(delivered_order, customer, staff):
    from django.test import Client
    from django.urls import reverse

    from returns.services import claims

    order = delivered_order(units=3, price="10.00")
    line = order.lines.get()
    claim = claims.claim_open(
        order_id=order.pk,
        customer=customer,
        kind="missing",
        description="One",
        lines=[(line.pk, 1)],
    )
    claims.claim_refund(claim_id=claim.pk, by=staff, amount=None, message="")
    client = Client()
    client.force_login(customer)
    html = client.get(
        reverse("returns:create", kwargs={"order_number": order.number})
    ).content.decode()
    select = html.split(f'name="qty-{line.pk}"')[1].split("</select>")[0]
    assert '<option value="2">' in select and '<option value="3">' not in select
    # A refused claim frees its units again.
    refused = claims.claim_open(
        order_id=order.pk,
        customer=customer,
        kind="missing",
        description="Two",
        lines=[(line.pk, 2)],
    )
    claims.claim_refuse(claim_id=refused.pk, by=staff, message="Found in the parcel")
    assert [item.available for item in sel.returnable_lines(order)] == [2]


def test_return_and_claim_states_have_their_own_labels():
    """Each kind its own msgctxt, so French agrees in gender (retour accepté,
    réclamation remboursée) on the pages, the admin and the email subjects."""
    from django.utils import translation

    from returns.statuses import ClaimStatus, ReturnStatus

    with translation.override("fr"):
        assert str(ReturnStatus.ACCEPTED.label) == "Accepté"
        assert str(ReturnStatus("received").label) == "Reçu"
        assert str(ReturnStatus.REFUNDED.label) == "Remboursé"
        assert str(ClaimStatus.REFUNDED.label) == "Remboursée"
        assert str(ClaimStatus.REFUSED.label) == "Refusée"
    with translation.override("en"):
        assert str(ReturnStatus("received").label) == "Received"
        assert str(ClaimStatus.REFUNDED.label) == "Refunded"


def test_staffs_message_stands_apart_in_the_accepted_email(delivered_order, customer, staff):
    ret = ask(delivered_order(), customer)
    mail.outbox.clear()
    r.return_accept(return_id=ret.pk, by=staff, message="Use the blue box, please.")
    messages_send_due()
    email = next(m for m in mail.outbox if "RMA-" in m.subject)
    assert ".\n\nUse the blue box, please.\n" in email.body  # French email: a blank line
    html = email.alternatives[0][0]
    assert "<blockquote" in html and "Use the blue box, please.</blockquote>" in html


def test_a_transfer_order_is_told_its_refund_goes_by_transfer(delivered_order, customer, staff):
    ret = to_inspected(ask(delivered_order(), customer), staff)  # a transfer order
    messages_send_due()
    inspected = [m for m in mail.outbox if "RMA-" in m.subject][-1]
    assert "IBAN" in inspected.body and "moyen de paiement d'origine" not in inspected.body
    assert ret.status == "inspected"

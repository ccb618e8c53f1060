"""The customer's pages and staff's admin: another customer's order or
return is a 404, the order page shows the return button only when a
return is possible (and why not otherwise), the slip is a PDF for its
customer and staff only, staff's steps go through the services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from returns.models import Claim, Return
from returns.services import returns as r
from tests.returns.conftest import deliver, transfer_order

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_order_page_shows_the_return_button_only_when_possible(customer, settings):
    order = transfer_order(customer)
    page = login(customer).get(reverse("customer:order", kwargs={"order_number": order.number}))
    html = page.content.decode()
    assert 'id="return-button"' not in html
    assert "once the order is delivered" in html or "une fois la commande livrée" in html

    deliver(order, days_ago=2)
    html = (
        login(customer)
        .get(reverse("customer:order", kwargs={"order_number": order.number}))
        .content.decode()
    )
    assert 'id="return-button"' in html
    settings.COMPTOIR_RETURN_DAYS = 1
    html = (
        login(customer)
        .get(reverse("customer:order", kwargs={"order_number": order.number}))
        .content.decode()
    )
    assert 'id="return-button"' not in html and 'id="return-refusal"' in html


def test_asking_from_the_page_and_another_customers_order_is_404(
    delivered_order, customer, other_customer
):
    order = delivered_order(units=3)
    line = order.lines.get()
    url = reverse("returns:create", kwargs={"order_number": order.number})
    assert login(other_customer).get(url).status_code == 404
    assert (
        login(other_customer)
        .post(url, {f"qty-{line.pk}": "1", f"reason-{line.pk}": "withdrawal"})
        .status_code
        == 404
    )
    assert not Return.objects.exists()

    client = login(customer)
    assert client.get(url).status_code == 200
    page = client.post(url, {f"qty-{line.pk}": "9", f"reason-{line.pk}": "withdrawal"})
    assert page.status_code == 200 and "3 delivered" in page.content.decode()
    page = client.post(
        url, {f"qty-{line.pk}": "2", f"reason-{line.pk}": "withdrawal", "comment": "Too many"}
    )
    ret = Return.objects.get()
    assert page.status_code == 302 and page["Location"].endswith(f"/returns/{ret.pk}/")
    assert ret.lines.get().quantity == 2
    assert ret.conversation.messages.get().body == "Too many"


def test_another_customers_return_and_slip_are_404(
    delivered_order, customer, other_customer, staff
):
    order = delivered_order()
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "withdrawal")]
    )
    r.return_accept(return_id=ret.pk, by=staff)
    for name in ("returns:detail", "returns:slip"):
        url = reverse(name, kwargs={"pk": ret.pk})
        assert login(other_customer).get(url).status_code == 404
        assert Client().get(url).status_code in (302, 404)
    slip = login(customer).get(reverse("returns:slip", kwargs={"pk": ret.pk}))
    assert slip["Content-Type"] == "application/pdf" and slip.content.startswith(b"%PDF-")
    assert login(staff).get(reverse("returns:slip", kwargs={"pk": ret.pk})).status_code == 200


def test_tracking_number_from_the_page(delivered_order, customer, staff):
    order = delivered_order()
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "defect")]
    )
    r.return_accept(return_id=ret.pk, by=staff)
    url = reverse("returns:detail", kwargs={"pk": ret.pk})
    client = login(customer)
    assert 'id="slip-link"' in client.get(url).content.decode()
    client.post(url, {"action": "tracking", "carrier": "Colissimo", "tracking_number": "6A99"})
    ret.refresh_from_db()
    assert (ret.status, ret.carrier, ret.tracking_number) == ("in_transit", "Colissimo", "6A99")
    client.post(url, {"action": "bank", "holder": "Alice", "iban": "not an iban"})
    ret.refresh_from_db()
    assert ret.iban == ""


def test_staff_steps_in_the_admin(delivered_order, customer, staff):
    order = delivered_order()
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "withdrawal")]
    )
    admin = login(staff)
    page = admin.get(reverse("admin:returns_return_change", args=[ret.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "/step/accepted/" in html and "/step/refused/" in html
    assert "/step/refunded/" not in html  # only the legal next steps
    step = reverse("admin:returns_return_step", args=[ret.pk, "refused"])
    admin.post(step, {"message": ""})
    ret.refresh_from_db()
    assert ret.status == "requested"
    admin.post(
        reverse("admin:returns_return_step", args=[ret.pk, "accepted"]), {"message": "Send it"}
    )
    ret.refresh_from_db()
    assert ret.status == "accepted" and ret.number.startswith("RMA-")
    staff_message = ret.conversation.messages.get(author_kind="staff")
    assert staff_message.body == "Send it"
    # A forged step (not a legal move) changes nothing.
    admin.post(reverse("admin:returns_return_step", args=[ret.pk, "refunded"]), {"amount": "1"})
    ret.refresh_from_db()
    assert ret.status == "accepted"
    listing = admin.get(reverse("admin:returns_return_changelist") + "?refund=at_risk")
    assert listing.status_code == 200
    order_page = admin.get(reverse("admin:order_order_change", args=[order.pk]))
    assert ret.number in order_page.content.decode()


def test_claim_with_photos_then_a_free_replacement(delivered_order, customer, staff):
    order = delivered_order(units=2)
    line = order.lines.get()
    url = reverse("returns:claim-create", kwargs={"order_number": order.number})
    client = login(customer)
    page = client.post(
        url, {"kind": "damaged", "description": "Box crushed", f"qty-{line.pk}": "1"}
    )
    assert page.status_code == 200 and not Claim.objects.exists()  # photos required
    page = client.post(
        url,
        {
            "kind": "damaged",
            "description": "Box crushed",
            f"qty-{line.pk}": "1",
            "photos": SimpleUploadedFile("box.png", png(), content_type="image/png"),
        },
    )
    claim = Claim.objects.get()
    assert page.status_code == 302
    assert claim.conversation.kind == "claim"
    assert claim.conversation.messages.get().attachments.count() == 1

    login(staff).post(
        reverse("admin:returns_claim_decide", args=[claim.pk]),
        {"decision": "replaced", "message": "A new one is on its way."},
    )
    claim.refresh_from_db()
    assert claim.status == "replaced"
    assert claim.replacement_order.total_incl_tax == Decimal("0.00")
    assert claim.replacement_order.lines.get().quantity == 1


def test_an_executable_photo_is_refused(delivered_order, customer):
    order = delivered_order()
    url = reverse("returns:claim-create", kwargs={"order_number": order.number})
    page = login(customer).post(
        url,
        {
            "kind": "damaged",
            "description": "x",
            "photos": SimpleUploadedFile("a.png", b"MZ\x90\x00" * 10, content_type="image/png"),
        },
    )
    assert page.status_code == 200 and not Claim.objects.exists()


def test_a_claim_after_three_days_is_refused(delivered_order, customer):
    order = delivered_order(days_ago=4)
    url = reverse("returns:claim-create", kwargs={"order_number": order.number})
    page = login(customer).get(url)
    assert page.status_code == 302


def test_staff_refund_a_claim_by_amount_from_the_admin(delivered_order, customer, staff):
    from returns.services import claims

    order = delivered_order(units=2, price="10.00")
    claim = claims.claim_open(
        order_id=order.pk, customer=customer, kind="missing", description="Half empty", lines=[]
    )
    login(staff).post(
        reverse("admin:returns_claim_decide", args=[claim.pk]),
        {"decision": "refunded", "amount": "5.00", "message": "Sorry."},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.refund_amount) == ("refunded", Decimal("5.00"))
    assert claim.credit_note.total_incl_tax == Decimal("5.00")


def _outside_admin_form(html: str, form_id: str) -> bool:
    """The thread's post form starts after the admin's change form closes."""
    start = html.index(f'id="{form_id}"')
    end = html.index("</form>", start)
    return html.index('class="thread__form"') > end


def test_staff_reply_on_a_return_and_a_claim_is_posted(delivered_order, customer, staff):
    from returns.services import claims

    order = delivered_order(units=2)
    line = order.lines.get()
    ret = r.return_request(order_id=order.pk, customer=customer, lines=[(line.pk, 1, "withdrawal")])
    claim = claims.claim_open(
        order_id=order.pk, customer=customer, kind="missing", description="Half empty", lines=[]
    )
    admin = login(staff)
    for obj, name, form_id in ((ret, "return", "return_form"), (claim, "claim", "claim_form")):
        url = reverse(f"admin:returns_{name}_change", args=[obj.pk])
        html = admin.get(url).content.decode()
        assert _outside_admin_form(html, form_id)
        if name == "claim":
            # The customer's message is labelled by its author's kind, not "You".
            assert "Customer · Alice Martin" in html and "<strong>You</strong>" not in html
        action = reverse("conversations:post")
        assert f'action="{action}"' in html
        thread = html.split('name="thread" value="')[1].split('"')[0]
        answer = admin.post(action, {"thread": thread, "body": f"Reply on {name}", "next": url})
        assert answer.status_code == 302
        obj.refresh_from_db()
        message = obj.conversation.messages.get(body=f"Reply on {name}")
        assert (message.author_kind, message.author) == ("staff", staff)
        # The admin's own page still renders after the reply.
        assert admin.get(url).status_code == 200


def test_receiving_restocks_only_the_sound_units(customer, staff):
    from returns.models import ReturnLine
    from tests.factories import stock_of
    from tests.returns.conftest import deliver

    order = deliver(transfer_order(customer, units=3), days_ago=1)
    line = order.lines.get()
    before = stock_of(line.product)[0]
    ret = r.return_request(order_id=order.pk, customer=customer, lines=[(line.pk, 3, "defect")])
    r.return_accept(return_id=ret.pk, by=staff)
    admin = login(staff)
    step = reverse("admin:returns_return_step", args=[ret.pk, "received"])
    row = ret.lines.get()
    html = admin.get(step).content.decode()
    # Defective units: none proposed back on sale.
    assert f'name="sound-{row.pk}" value="0"' in html
    admin.post(step, {f"sound-{row.pk}": "4", "note": ""})  # more than returned
    ret.refresh_from_db()
    assert ret.status == "accepted"
    admin.post(step, {f"sound-{row.pk}": "1", "note": "Two are dead"})
    ret.refresh_from_db()
    assert ret.status == "received"
    assert ReturnLine.objects.get(pk=row.pk).restocked == 1
    assert stock_of(line.product)[0] == before + 1
    # A withdrawal: every unit back by default (the service's default).
    other = deliver(transfer_order(customer, units=2), days_ago=1)
    wline = other.lines.get()
    wbefore = stock_of(wline.product)[0]
    w = r.return_request(order_id=other.pk, customer=customer, lines=[(wline.pk, 2, "withdrawal")])
    r.return_accept(return_id=w.pk, by=staff)
    r.return_receive(return_id=w.pk, by=staff)
    assert stock_of(wline.product)[0] == wbefore + 2
    # Transport damage: none by default.
    third = deliver(transfer_order(customer, units=1), days_ago=1)
    dline = third.lines.get()
    dbefore = stock_of(dline.product)[0]
    d = r.return_request(order_id=third.pk, customer=customer, lines=[(dline.pk, 1, "damaged")])
    r.return_accept(return_id=d.pk, by=staff)
    r.return_receive(return_id=d.pk, by=staff)
    assert stock_of(dline.product)[0] == dbefore


def test_amounts_in_the_refund_step_are_money_not_raw_decimals(delivered_order, customer, staff):
    order = delivered_order(units=3, price="10.26")
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "withdrawal")]
    )
    r.return_accept(return_id=ret.pk, by=staff)
    r.return_receive(return_id=ret.pk, by=staff)
    r.return_inspect(return_id=ret.pk, by=staff)
    html = login(staff).get(reverse("admin:returns_return_step", args=[ret.pk, "refunded"]))
    text = html.content.decode()
    assert "€12.31" in text  # 10.26 + 20 % VAT, as the shop prints money
    assert "12.31 €" not in text and "000000" not in text


def test_the_claim_form_keeps_the_units_and_takes_several_photos(delivered_order, customer):
    order = delivered_order(units=3)
    line = order.lines.get()
    url = reverse("returns:claim-create", kwargs={"order_number": order.number})
    client = login(customer)
    page = client.post(url, {"kind": "damaged", "description": "Crushed", f"qty-{line.pk}": "2"})
    html = page.content.decode()
    assert page.status_code == 200 and not Claim.objects.exists()
    assert '<option value="2" selected>' in html and '<option value="1" selected>' not in html
    assert 'name="photos"' in html and "multiple" in html.split('name="photos"')[1].split(">")[0]
    page = client.post(
        url,
        {
            "kind": "damaged",
            "description": "Crushed",
            f"qty-{line.pk}": "2",
            "photos": [
                SimpleUploadedFile("box.png", png(), content_type="image/png"),
                SimpleUploadedFile("goods.png", png(), content_type="image/png"),
            ],
        },
    )
    claim = Claim.objects.get()
    assert claim.lines.get().quantity == 2
    assert claim.conversation.messages.get().attachments.count() == 2


def test_deadline_in_page_format_and_the_slip_words_the_refund_by_method(
    delivered_order, customer, staff, monkeypatch
):
    from django.template.loader import render_to_string
    from django.utils.formats import date_format

    from returns import selectors as sel
    from returns.services import slip

    order = delivered_order()
    ret = r.return_request(
        order_id=order.pk, customer=customer, lines=[(order.lines.get().pk, 1, "withdrawal")]
    )
    r.return_accept(return_id=ret.pk, by=staff)
    r.return_receive(return_id=ret.pk, by=staff)
    ret.refresh_from_db()
    due = sel.return_refund_deadline(ret)
    html = login(staff).get(reverse("admin:returns_return_change", args=[ret.pk])).content
    assert date_format(due, "DATE_FORMAT") in html.decode() and due.isoformat() not in html.decode()
    seen = {}

    def render(template, context, language):
        seen.update(context)
        return render_to_string(template, context)

    monkeypatch.setattr(slip, "render_template_pdf", render)
    text = slip.return_slip_pdf(ret)  # a transfer order
    assert seen["by_transfer"] is True
    assert "by bank transfer to the IBAN" in text and "original means of payment" not in text


def test_the_return_form_table_stacks_on_a_phone(delivered_order, customer):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    order = delivered_order()
    html = (
        login(customer)
        .get(reverse("returns:create", kwargs={"order_number": order.number}))
        .content.decode()
    )
    assert "css/returns.css" in html and 'class="table table-bordered returns-items"' in html
    assert 'class="returns-items__reason" data-label="Reason"' in html
    css = Path(finders.find("css/returns.css")).read_text()
    assert "@media (max-width: 767.98px)" in css and "attr(data-label)" in css

"""Staff's side: the inbox, claiming, answering inline with canned replies,
opening a thread on a customer's behalf, asking suppliers and recording
their offer from the supplier's emailed answer."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from conversations.models import AuthorKind, Conversation, ConversationKind, ConversationStatus
from conversations.services import conversation_for_order, conversation_open, message_post
from core.replies import reply_address
from procurement.models import SupplierOffer
from tests.conversations.conftest import submit
from tests.conversations.test_inbound import BASIC, _webhook_secrets, b64  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def change_url(conversation):
    return reverse("admin:conversations_conversation_change", args=[conversation.pk])


def test_the_inbox_lists_unanswered_first_and_hides_closed(admin_client, order, buyer, staff):
    answered = conversation_open(
        kind=ConversationKind.CONTACT, subject="Answered one", email="a@x.example"
    )
    message_post(conversation=answered, body="Q", author_kind=AuthorKind.CUSTOMER)
    message_post(conversation=answered, body="A", author=staff, by_staff=True)
    waiting = conversation_for_order(order=order)
    message_post(conversation=waiting, body="Where is my parcel?", author=buyer)
    closed = conversation_open(
        kind=ConversationKind.CONTACT, subject="Closed one", email="c@x.example"
    )
    closed.status = ConversationStatus.CLOSED
    closed.save()
    page = admin_client.get(reverse("admin:conversations_conversation_changelist"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(waiting.subject) < html.index("Answered one")
    assert "Closed one" not in html


def test_staff_answer_inline_with_a_canned_reply(
    admin_client, order, buyer, staff, django_capture_on_commit_callbacks
):
    conversation = conversation_for_order(order=order)
    message_post(conversation=conversation, body="Can I have my invoice again?", author=buyer)
    url = change_url(conversation)
    inserted = admin_client.post(
        url, {"action": "insert", "canned": "duplicate-invoice", "body": ""}
    )
    assert inserted.status_code == 200
    text = inserted.context["answer_form"].data["body"]
    assert order.number in text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(url, {"action": "send", "body": text})
    assert sent.status_code == 302
    conversation.refresh_from_db()
    assert conversation.claimed_by == staff and conversation.status == ConversationStatus.WAITING
    staff_message = conversation.messages.last()
    assert staff_message.author_kind == AuthorKind.STAFF and staff_message.source == "admin"
    [email] = mail.outbox
    assert email.to == [buyer.email] and order.number in email.body
    assert email.reply_to == [reply_address(conversation)]


def test_staff_claim_and_close(admin_client, order, staff):
    conversation = conversation_for_order(order=order)
    admin_client.post(change_url(conversation), {"action": "claim"})
    admin_client.post(change_url(conversation), {"action": "close"})
    conversation.refresh_from_db()
    assert conversation.claimed_by == staff and conversation.status == ConversationStatus.CLOSED


def test_staff_open_an_order_thread_on_the_customers_behalf(admin_client, order, buyer):
    tool = admin_client.get(reverse("admin:conversations_order_thread", args=[order.number]))
    assert tool.status_code == 302 and "kind=order" in tool["Location"]
    response = admin_client.post(
        reverse("admin:conversations_conversation_add"),
        {"kind": "order", "order_number": order.number, "body": "Called: parcel not arrived."},
    )
    conversation = Conversation.objects.get(kind=ConversationKind.ORDER, order=order)
    assert response.status_code == 302 and response["Location"] == change_url(conversation)
    message = conversation.messages.get()
    assert message.source == "admin" and message.author_kind == AuthorKind.CUSTOMER
    assert conversation.customer == buyer
    # The order's admin page links to its thread.
    page = admin_client.get(reverse("admin:order_order_change", args=[order.pk]))
    assert reverse("admin:conversations_order_thread", args=[order.number]) in page.content.decode()


def test_staff_open_a_quote_request_for_a_caller(admin_client, buyer):
    qr = submit(buyer)
    admin_client.post(
        reverse("admin:conversations_conversation_add"),
        {"kind": "quote_request", "quote_request_number": qr.number, "body": "Wants 50 more."},
    )
    assert Conversation.objects.get(kind=ConversationKind.QUOTE_REQUEST).quote_request == qr


def test_an_unknown_order_number_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:conversations_conversation_add"),
        {"kind": "order", "order_number": "NOPE", "body": "x"},
    )
    assert response.status_code == 200 and not Conversation.objects.exists()


def test_ask_suppliers_then_their_reply_lands_and_staff_record_the_offer(
    admin_client, client, buyer, suppliers, django_capture_on_commit_callbacks
):
    qr = submit(buyer)
    line = qr.lines.get()
    ask = reverse("admin:conversations_ask_suppliers", args=[qr.pk])
    form = admin_client.get(ask)
    body = form.context["form"].initial["body"]
    assert line.description in body and "2" in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ask, {"suppliers": [suppliers[0].pk], "body": body})
    thread = Conversation.objects.get(kind=ConversationKind.SUPPLIER)
    assert thread.supplier == suppliers[0] and thread.quote_request == qr
    [email] = mail.outbox
    assert email.to == [suppliers[0].email] and line.description in email.body
    # The supplier answers the email: Postmark posts it to the webhook.
    payload = {
        "From": suppliers[0].email,
        "FromFull": {"Email": suppliers[0].email, "Name": "Farnell sales"},
        "ToFull": [{"Email": email.reply_to[0], "Name": ""}],
        "OriginalRecipient": email.reply_to[0],
        "Subject": "Re: " + email.subject,
        "MessageID": "pm-supplier-1",
        "TextBody": "12.50 EUR each, 3 days.\n\nOn Mon, Comptoir wrote:\n> Hello",
        "Headers": [],
        "Attachments": [],
    }
    response = client.post(
        "/webhooks/email/postmark/inbound/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + b64(BASIC.encode()),
    )
    assert response.status_code == 200
    reply = thread.messages.last()
    assert reply.author_kind == AuthorKind.SUPPLIER and reply.body == "12.50 EUR each, 3 days."
    admin_client.post(
        change_url(thread),
        {"action": "offer", "line": line.pk, "unit_cost": "12.50", "lead_time_days": "3"},
    )
    offer = SupplierOffer.objects.get()
    assert offer.line == line and offer.supplier == suppliers[0]
    assert str(offer.unit_cost) == "12.5000" and offer.created_by is not None
    page = admin_client.get(reverse("admin:procurement_quoterequest_change", args=[qr.pk]))
    assert change_url(thread) in page.content.decode()


def test_customers_cannot_reach_the_inbox(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("admin:conversations_conversation_changelist"))
    assert response.status_code == 302


def test_the_inbox_has_few_columns_and_the_thread_shows_translated_origins(
    admin_client, order, buyer, staff, settings
):
    """The list keeps five columns (handled by is the last, not cut off);
    the thread says who wrote and how in the staff's language, never the
    stored values ("customer", "staff", "admin")."""
    from django.utils import translation

    conversation = conversation_for_order(order=order)
    message_post(conversation=conversation, body="Where is my parcel?", author=buyer)
    message_post(conversation=conversation, body="Tomorrow.", author=staff, by_staff=True)
    conversation_claim_by = staff.first_name or staff.get_username()
    conversation.claimed_by = staff
    conversation.save(update_fields=["claimed_by"])
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with translation.override("fr"):
        listing = admin_client.get(
            reverse("admin:conversations_conversation_changelist"), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
        thread = admin_client.get(change_url(conversation), HTTP_ACCEPT_LANGUAGE="fr")
    html = thread.content.decode()
    head_row = listing.split('id="result_list"')[1].split("</thead>")[0]
    assert head_row.count('<th scope="col"') <= 6
    assert "column-handled_by" in listing and conversation_claim_by in listing
    assert "column-kind" not in listing
    heads = [m.split("</div>")[0] for m in html.split('class="thread-admin__head"')[1:]]
    assert len(heads) == 2
    assert "Client" in heads[0] and "Équipe" in heads[1]
    for raw in (">customer<", ">staff<", "· admin", "· web"):
        assert all(raw not in head for head in heads)


def test_the_duplicate_invoice_reply_promises_an_invoice_only_when_there_is_one(order):
    """A reserved order has no invoice yet: the canned reply says so; once
    shipped and invoiced, it points to the invoice in the account."""
    from billing.documents import invoicing
    from conversations.canned import canned_text
    from orders.statuses import OrderStatus
    from tests.factories import Order

    conversation = conversation_for_order(order=order)
    conversation.language = "en"
    before = canned_text("duplicate-invoice", conversation=conversation)
    assert order.number in before and "no invoice yet" in before
    assert "Your invoice for order" not in before

    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
    invoicing.invoice_issue(order_id=order.pk)
    conversation.order.refresh_from_db()
    after = canned_text("duplicate-invoice", conversation=conversation)
    assert f"Your invoice for order {order.number}" in after and "no invoice yet" not in after

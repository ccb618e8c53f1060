"""The customer's side: the order's and the request's pages show their
thread and post to it (404 for anyone else's), the account's Messages, the
Contact form (linked to the order only when number and email match)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conversations.models import AuthorKind, Conversation, ConversationKind, Message
from conversations.selectors import thread_pass
from conversations.services import conversation_for_order, message_post
from tests.conversations.conftest import pdf_bytes, submit, upload

pytestmark = pytest.mark.django_db


def order_page(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def thread_form(html):
    return dict(re.findall(r'name="(thread|next)" value="([^"]*)"', html))


def test_a_customer_writes_from_the_order_page_with_a_file(
    client, order, buyer, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    page = client.get(order_page(order))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="conversation"' in html
    fields = thread_form(html)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:post"),
            {
                "thread": fields["thread"],
                "next": fields["next"],
                "body": "The box was crushed.",
                "attachments": [upload("photo.pdf", pdf_bytes())],
            },
        )
    assert response.status_code == 302 and response["Location"].startswith(order_page(order))
    conversation = Conversation.objects.get(kind=ConversationKind.ORDER, order=order)
    message = conversation.messages.get()
    assert message.author == buyer and message.attachments.count() == 1
    assert mail.outbox[0].to == ["sav@comptoir.test"]
    again = client.get(order_page(order)).content.decode()
    assert "The box was crushed." in again and "photo.pdf" in again
    file_url = reverse(
        "conversations:file", args=[conversation.pk, message.attachments.get().token]
    )
    assert client.get(file_url).status_code == 200


def test_another_customer_reaches_nothing_of_the_thread(client, order, buyer, other):
    conversation = conversation_for_order(order=order)
    message = message_post(conversation=conversation, body="Private", author=buyer)
    client.force_login(other)
    assert client.get(order_page(order)).status_code == 404
    assert client.get(reverse("conversations:detail", args=[conversation.pk])).status_code == 404
    assert "Private" not in client.get(reverse("conversations:list")).content.decode()
    forged = client.post(
        reverse("conversations:post"), {"thread": f"order.order:{order.pk}:x", "body": "Hi"}
    )
    assert forged.status_code == 404
    del message
    assert Message.objects.count() == 1


def test_a_supplier_thread_cannot_be_reached_with_a_pass(client, buyer, suppliers):
    from conversations.services import supplier_thread

    thread = supplier_thread(quote_request=submit(buyer), supplier=suppliers[0])
    client.force_login(buyer)
    response = client.post(
        reverse("conversations:post"), {"thread": thread_pass(thread), "body": "Hi"}
    )
    assert response.status_code == 404
    assert client.get(reverse("conversations:detail", args=[thread.pk])).status_code == 404


def test_a_guest_writes_from_the_guest_order_page(client, guest_order):
    session = client.session
    session["anon_order_email"] = guest_order.email
    session.save()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": guest_order.number, "hash": guest_order.verification_hash()},
    )
    html = client.get(url).content.decode()
    fields = thread_form(html)
    assert fields["thread"]
    client.post(reverse("conversations:post"), {**fields, "body": "Guest question"})
    message = Message.objects.get()
    assert message.conversation.order == guest_order
    assert message.from_email == guest_order.email and message.author is None


def test_the_quote_request_page_shows_its_thread(client, buyer, staff):
    qr = submit(buyer)
    from conversations.services import conversation_for_quote_request

    conversation = conversation_for_quote_request(quote_request=qr)
    message_post(conversation=conversation, body="Which brand?", author=staff, by_staff=True)
    client.force_login(buyer)
    html = client.get(reverse("procurement:detail", args=[qr.number])).content.decode()
    assert "Which brand?" in html and thread_form(html)["thread"]


def test_messages_in_the_account(client, order, buyer):
    conversation = conversation_for_order(order=order)
    message_post(conversation=conversation, body="Hello there", author=buyer)
    client.force_login(buyer)
    listing = client.get(reverse("conversations:list")).content.decode()
    assert conversation.subject in listing
    detail = client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert detail.status_code == 200 and "Hello there" in detail.content.decode()


def test_messages_need_an_account(client):
    response = client.get(reverse("conversations:list"))
    assert response.status_code == 302


def contact_post(client, **fields):
    page = client.get(reverse("contact"))
    stamp = re.search(r'name="form_ts" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "name": "Ada",
        "email": "ada@example.com",
        "order_number": "",
        "body": "Hello",
        "form_ts": stamp,
        "website": "",
    }
    return client.post(reverse("contact"), {**data, **fields})


def test_the_contact_form_links_the_order_when_number_and_email_match(
    client, guest_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = contact_post(
            client,
            email=guest_order.email.upper(),
            order_number=guest_order.number,
            body="Parcel missing",
            attachments=[upload("label.pdf", pdf_bytes())],
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.conversation.kind == ConversationKind.ORDER
    assert message.conversation.order == guest_order
    assert message.attachments.count() == 1
    acknowledgement = [m for m in mail.outbox if m.to == [guest_order.email.upper()]]
    assert acknowledgement and acknowledgement[0].reply_to


def test_the_contact_form_never_links_an_order_on_its_number_alone(client, order):
    contact_post(client, email="someone@else.example", order_number=order.number, body="Hi")
    conversation = Conversation.objects.get()
    assert conversation.kind == ConversationKind.CONTACT and conversation.order is None
    assert conversation.messages.get().author_kind == AuthorKind.CUSTOMER


def test_the_contact_form_shows_on_the_contact_page_in_both_languages(client):
    for url in ("/pages/contact/", "/en/pages/contact/"):
        html = client.get(url).content.decode()
        assert 'id="contact-form"' in html and 'name="order_number"' in html


def test_the_contact_form_refuses_a_bot(client):
    response = contact_post(client, website="http://spam.example")
    assert response.status_code == 400
    assert not Conversation.objects.exists()


def test_the_contact_form_refuses_an_executable(client):
    response = contact_post(
        client,
        attachments=[upload("run.exe", b"MZ\x90\x00" + b"\0" * 64, "application/x-msdownload")],
    )
    assert response.status_code == 400
    assert not Conversation.objects.exists()


def test_english_thread_dates_are_day_first_and_24_hours(client, order, buyer):
    """English dates read without doubt: "7 Dec 2026, 01:20", never the
    US "12/07/2026 1:20 a.m." (shop/formats/en); French stays French."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    conversation = conversation_for_order(order=order)
    message = message_post(conversation=conversation, body="Hello there", author=buyer)
    when = datetime(2026, 12, 7, 1, 20, tzinfo=ZoneInfo("Europe/Paris"))
    Message.objects.filter(pk=message.pk).update(created_at=when)
    client.force_login(buyer)
    with translation.override("en"):
        english = client.get(reverse("conversations:detail", args=[conversation.pk]))
    html = english.content.decode()
    assert "7 Dec 2026, 01:20" in html
    assert "12/07/2026" not in html and "a.m." not in html
    with translation.override("fr"):
        french = client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert "07/12/2026 01:20" in french.content.decode()


def _pdf_file():
    from procurement.services.requests import FileInput
    from procurement.services.uploads import check_upload

    return FileInput(check_upload(upload("photo.pdf", pdf_bytes())), "photo.pdf")


def _file_url(conversation, message, obj):
    from urllib.parse import quote

    token = message.attachments.get().token
    url = reverse("conversations:file", args=[conversation.pk, token])
    return f"{url}?a={quote(thread_pass(obj))}"


def test_a_file_link_with_its_pass_opens_for_no_other_customer_nor_a_stranger(
    client, order, buyer, other
):
    """The link of a file in a customer's order thread, pass included:
    another signed-in customer gets a 404, so does a logged-out visitor;
    its owner opens it."""
    from django.test import Client

    conversation = conversation_for_order(order=order)
    message = message_post(
        conversation=conversation,
        body="Photo",
        author=buyer,
        attachments=[_pdf_file()],
    )
    url = _file_url(conversation, message, order)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    owner = Client()
    owner.force_login(buyer)
    assert owner.get(url).status_code == 200


def test_a_guest_opens_a_file_of_their_order_thread_only_in_their_browser(guest_order):
    """The pass lets the guest who gave the order's email (on the guest
    order page) read the file; the same link elsewhere is a 404."""
    from django.test import Client

    conversation = conversation_for_order(order=guest_order)
    message = message_post(
        conversation=conversation,
        body="Photo",
        from_email=guest_order.email,
        attachments=[_pdf_file()],
    )
    url = _file_url(conversation, message, guest_order)
    guest = Client()
    session = guest.session
    session["anon_order_email"] = guest_order.email
    session.save()
    assert guest.get(url).status_code == 200
    assert Client().get(url).status_code == 404
    stranger = Client()
    session = stranger.session
    session["anon_order_email"] = "someone@else.example"
    session.save()
    assert stranger.get(url).status_code == 404

"""Replies and requests by email: real provider payloads (Postmark's JSON,
Mailgun's signed form) posted to django-anymail's inbound webhook on the
test client; signature checks, threads, triage, files, replays."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.core import mail

from conversations.models import AuthorKind, Conversation, ConversationKind, Message
from conversations.services import conversation_for_order
from conversations.services.inbound import reply_strip
from core.replies import reply_address
from procurement.models import QuoteRequest
from tests.conversations.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

POSTMARK_URL = "/webhooks/email/postmark/inbound/"
MAILGUN_URL = "/webhooks/email/mailgun/inbound/"
BASIC = "postmark:s3cret-inbound"
MAILGUN_KEY = "mailgun-signing-key-123"


@pytest.fixture(autouse=True)
def _webhook_secrets(settings):
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": BASIC,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def postmark_payload(*, to, sender, text, subject="Re: Order", message_id="pm-1", attachments=()):
    """Postmark's inbound JSON, as its documentation shows it."""
    return {
        "FromName": "Ada Buyer",
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Ada Buyer", "MailboxHash": ""},
        "To": to,
        "ToFull": [{"Email": to, "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": to,
        "Subject": subject,
        "MessageID": message_id,
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Sun, 6 Dec 2026 10:00:00 +0100",
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{sender}>"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": f"<{message_id}@mail.example>"},
        ],
        "Attachments": [
            {"Name": name, "Content": b64(data), "ContentType": ctype, "ContentLength": len(data)}
            for name, data, ctype in attachments
        ],
    }


def post_postmark(client, payload, auth=BASIC):
    return client.post(
        POSTMARK_URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + b64(auth.encode()),
    )


def mailgun_form(*, recipient, sender, text, key=MAILGUN_KEY, message_id="mg-1@mail.example"):
    timestamp = str(int(time.time()))
    token = "c" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {
        "recipient": recipient,
        "sender": sender,
        "from": f"Ada Buyer <{sender}>",
        "To": recipient,
        "subject": "Re: Your order",
        "body-plain": text,
        "stripped-text": "",
        "message-headers": json.dumps(
            [
                ["From", f"Ada Buyer <{sender}>"],
                ["To", recipient],
                ["Subject", "Re: Your order"],
                ["Message-Id", f"<{message_id}>"],
            ]
        ),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


REPLY = """Yes, please send the invoice again.

On Sun, 6 Dec 2026 at 09:00, Comptoir <shop@comptoir.example> wrote:
> Your order T000001 has shipped.
> Thank you
"""


def test_a_reply_to_the_order_email_lands_in_the_order_thread(client, order, buyer):
    to = reply_address(order)
    assert to.startswith("reply+order-order-") and to.endswith("@reply.comptoir.test")
    payload = postmark_payload(
        to=to,
        sender=buyer.email,
        text=REPLY,
        attachments=[("receipt.pdf", pdf_bytes(), "application/pdf")],
    )
    response = post_postmark(client, payload)
    assert response.status_code == 200
    conversation = conversation_for_order(order=order)
    [message] = conversation.messages.all()
    assert message.body == "Yes, please send the invoice again."
    assert message.author == buyer and message.author_kind == AuthorKind.CUSTOMER
    assert message.source == "email"
    assert [a.original_name for a in message.attachments.all()] == ["receipt.pdf"]
    assert conversation.is_unanswered


def test_a_replayed_webhook_is_stored_once(client, order, buyer):
    payload = postmark_payload(to=reply_address(order), sender=buyer.email, text="Hello")
    assert post_postmark(client, payload).status_code == 200
    assert post_postmark(client, payload).status_code == 200
    assert Message.objects.count() == 1


def test_a_forged_postmark_call_is_refused_and_stores_nothing(client, order, buyer):
    payload = postmark_payload(to=reply_address(order), sender=buyer.email, text="Hello")
    response = post_postmark(client, payload, auth="postmark:guess")
    assert response.status_code == 400
    assert not Message.objects.exists() and not Conversation.objects.exists()


def test_mailgun_signed_form_lands_in_the_thread(client, order, buyer):
    form = mailgun_form(recipient=reply_address(order), sender=buyer.email, text=REPLY)
    response = client.post(
        MAILGUN_URL, data=form, HTTP_AUTHORIZATION="Basic " + b64(BASIC.encode())
    )
    assert response.status_code == 200
    [message] = conversation_for_order(order=order).messages.all()
    assert message.body == "Yes, please send the invoice again."


def test_mailgun_forged_signature_is_refused(client, order, buyer):
    form = mailgun_form(
        recipient=reply_address(order), sender=buyer.email, text="Hi", key="wrong-key"
    )
    response = client.post(
        MAILGUN_URL, data=form, HTTP_AUTHORIZATION="Basic " + b64(BASIC.encode())
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_an_unknown_sender_starts_a_triage_thread_never_the_order(client, order):
    payload = postmark_payload(to=reply_address(order), sender="stranger@evil.example", text="Hi")
    assert post_postmark(client, payload).status_code == 200
    assert not Message.objects.filter(conversation__kind=ConversationKind.ORDER).exists()
    triage = Conversation.objects.get(kind=ConversationKind.INBOUND)
    assert triage.order is None and triage.email == "stranger@evil.example"
    assert triage.messages.last().body == "Hi"


def test_a_tampered_address_starts_a_triage_thread(client, order, buyer):
    forged = reply_address(order).replace(f"-{order.pk}-", f"-{order.pk + 1}-")
    payload = postmark_payload(to=forged, sender=buyer.email, text="Hi")
    assert post_postmark(client, payload).status_code == 200
    triage = Conversation.objects.get()
    assert triage.kind == ConversationKind.INBOUND and triage.order is None


def test_oversized_or_executable_files_are_refused_the_rest_kept(client, order, buyer, settings):
    settings.COMPTOIR_PROCUREMENT_MAX_UPLOAD_BYTES = 50_000
    payload = postmark_payload(
        to=reply_address(order),
        sender=buyer.email,
        text="Photos attached",
        attachments=[
            ("photo.png", png_bytes(), "image/png"),
            ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"),
            ("huge.pdf", pdf_bytes() + b"\n%" + b"x" * 60_000, "application/pdf"),
        ],
    )
    assert post_postmark(client, payload).status_code == 200
    conversation = conversation_for_order(order=order)
    customer, note = conversation.messages.all()
    assert [a.original_name for a in customer.attachments.all()] == ["photo.png"]
    assert note.author_kind == AuthorKind.SYSTEM
    assert "setup.exe" in note.body and "huge.pdf" in note.body


def test_an_email_to_procurement_becomes_a_quote_request(
    client, buyer, django_capture_on_commit_callbacks
):
    payload = postmark_payload(
        to="devis@comptoir.test",
        sender=buyer.email.upper(),
        subject="Need 20 NE555 timers",
        text="Could you quote 20 NE555, delivered before March?",
        attachments=[("spec.pdf", pdf_bytes(), "application/pdf")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_postmark(client, payload).status_code == 200
    qr = QuoteRequest.objects.get()
    assert qr.user == buyer
    assert qr.lines.get().description == "Need 20 NE555 timers"
    assert [f.original_name for f in qr.files.all()] == ["spec.pdf"]
    thread = Conversation.objects.get(kind=ConversationKind.QUOTE_REQUEST)
    assert thread.quote_request == qr
    assert "20 NE555" in thread.messages.get().body
    # The acknowledgement carries the request's own Reply-To.
    assert any(m.reply_to == [reply_address(qr)] for m in mail.outbox)


def test_a_guest_email_to_procurement_is_a_guest_request(client):
    payload = postmark_payload(to="devis@comptoir.test", sender="lab@univ.example", text="Quote?")
    assert post_postmark(client, payload).status_code == 200
    qr = QuoteRequest.objects.get()
    assert qr.user is None and qr.email == "lab@univ.example"


def test_quoted_history_is_stripped():
    assert reply_strip(REPLY) == "Yes, please send the invoice again."
    french = "Merci !\n\nLe dim. 6 déc. 2026 à 09:00, Comptoir <x@y.fr> a écrit :\n> Bonjour"
    assert reply_strip(french) == "Merci !"
    outlook = "OK\r\n\r\n-----Original Message-----\r\nFrom: Comptoir"
    assert reply_strip(outlook) == "OK"

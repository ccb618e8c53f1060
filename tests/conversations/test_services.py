"""The contract other apps build on: opening threads, posting messages,
the emails they cause (with the thread's signed Reply-To)."""

import pytest
from django.core import mail

from conversations.exceptions import ConversationError
from conversations.models import AuthorKind, Conversation, ConversationKind, ConversationStatus
from conversations.selectors import conversations_for_customer, conversations_inbox
from conversations.services import (
    conversation_for_order,
    conversation_for_quote_request,
    conversation_open,
    message_post,
)
from core.outbox.models import OutboxMessage
from core.replies import reply_address, reply_target
from tests.conversations.conftest import checked, png_bytes, submit

pytestmark = pytest.mark.django_db


def test_an_order_has_one_thread_opened_on_first_use(order, buyer):
    first = conversation_for_order(order=order)
    again = conversation_for_order(order=order)
    assert first.pk == again.pk
    assert first.kind == ConversationKind.ORDER
    assert first.customer == buyer
    assert first.email == buyer.email
    assert order.number in first.subject


def test_a_quote_request_has_its_thread(buyer):
    qr = submit(buyer)
    conversation = conversation_for_quote_request(quote_request=qr)
    assert conversation == conversation_for_quote_request(quote_request=qr)
    assert conversation.customer == buyer and conversation.email == qr.email


def test_a_customer_message_is_stored_with_files_and_tells_staff(
    order, buyer, django_capture_on_commit_callbacks
):
    conversation = conversation_for_order(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_post(
            conversation=conversation,
            body="The parcel arrived damaged.",
            author=buyer,
            attachments=[checked("photo.png", png_bytes())],
        )
    assert message.author_kind == AuthorKind.CUSTOMER
    assert [a.original_name for a in message.attachments.all()] == ["photo.png"]
    assert message.attachments.get().content_type == "image/png"
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN
    assert conversation.is_unanswered
    assert [m.to for m in mail.outbox] == [["sav@comptoir.test"]]
    # Staff answer in the admin: their notice carries no Reply-To.
    assert mail.outbox[0].reply_to == []


def test_staff_answer_is_emailed_to_the_customer_with_the_signed_reply_to(
    order, buyer, staff, django_capture_on_commit_callbacks
):
    conversation = conversation_for_order(order=order)
    message_post(conversation=conversation, body="Where is my parcel?", author=buyer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(conversation=conversation, body="It left today.", author=staff, by_staff=True)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.WAITING
    assert conversation.claimed_by == staff
    assert not conversation.is_unanswered
    [email] = mail.outbox
    assert email.to == [buyer.email]
    assert "It left today." in email.body
    assert email.reply_to == [reply_address(conversation)]
    target = reply_target(email.reply_to[0])
    assert target is not None and target.pk == conversation.pk


def test_an_empty_message_is_refused(order):
    conversation = conversation_for_order(order=order)
    with pytest.raises(ConversationError):
        message_post(conversation=conversation, body="   ")
    assert not conversation.messages.exists()


def test_customers_see_only_their_threads(order, buyer, other, suppliers):
    mine = conversation_for_order(order=order)
    conversation_open(kind=ConversationKind.CONTACT, subject="Theirs", customer=other)
    conversation_open(kind=ConversationKind.SUPPLIER, subject="Quote", supplier=suppliers[0])
    assert list(conversations_for_customer(buyer)) == [mine]


def test_the_inbox_puts_unanswered_first_then_the_oldest(order, buyer, staff):
    answered = conversation_open(kind=ConversationKind.CONTACT, subject="A", email="a@x.example")
    message_post(conversation=answered, body="Hello", author_kind=AuthorKind.CUSTOMER)
    message_post(conversation=answered, body="Hi", author=staff, by_staff=True)
    old = conversation_open(kind=ConversationKind.CONTACT, subject="B", email="b@x.example")
    message_post(conversation=old, body="First", author_kind=AuthorKind.CUSTOMER)
    new = conversation_for_order(order=order)
    message_post(conversation=new, body="Second", author=buyer)
    closed = conversation_open(kind=ConversationKind.CONTACT, subject="C", email="c@x.example")
    closed.status = ConversationStatus.CLOSED
    closed.save()
    assert list(conversations_inbox()) == [old, new, answered]


def test_the_provider_down_keeps_the_answer_and_sends_it_later(
    order, buyer, staff, settings, django_capture_on_commit_callbacks
):
    from core.outbox.services import messages_send_due

    conversation = conversation_for_order(order=order)
    settings.EMAIL_BACKEND = "tests.conversations.test_services.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = message_post(
            conversation=conversation, body="Your invoice", author=staff, by_staff=True
        )
    stored = OutboxMessage.objects.get(ref=f"conversations.message:{message.pk}")
    assert stored.status == OutboxMessage.Status.PENDING and stored.last_error
    assert Conversation.objects.get(pk=conversation.pk).messages.count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=stored.pk).update(next_attempt_at=None)
    assert messages_send_due() == 1
    assert mail.outbox[-1].to == [buyer.email]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("provider down")


def test_order_and_quote_emails_carry_their_threads_signed_reply_to(
    order, buyer, django_capture_on_commit_callbacks
):
    from orders.services import transitions as t

    with django_capture_on_commit_callbacks(execute=True):
        t.order_cancel(order_id=order.pk)
        qr = submit(buyer)
    about_order = [m for m in mail.outbox if order.number in m.subject]
    about_request = [m for m in mail.outbox if qr.number in m.subject]
    assert about_order and about_request
    assert all(m.reply_to == [reply_address(order)] for m in about_order)
    assert all(m.reply_to == [reply_address(qr)] for m in about_request)
    assert reply_address(order) != reply_address(qr)


def test_a_reply_address_cannot_be_forged_or_moved(order, settings):
    address = reply_address(order)
    assert reply_target(address).pk == order.pk
    assert reply_target(address.upper()).pk == order.pk  # providers may change the case
    local, domain = address.split("@")
    assert reply_target(local.replace(f"-{order.pk}-", f"-{order.pk + 1}-") + "@" + domain) is None
    assert reply_target(local[:-1] + ("0" if local[-1] != "0" else "1") + "@" + domain) is None
    assert reply_target(f"{local}@elsewhere.example") is None
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert reply_target(address) is None

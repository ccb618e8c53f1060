import pytest
from django.core import mail

from procurement.exceptions import ProcurementError
from procurement.models import QuoteRequest, RequestState
from procurement.services.requests import (
    LineInput,
    quote_request_claim,
    quote_request_decline,
    quote_request_note_add,
    request_move,
)
from tests.procurement.conftest import checked, submit

pytestmark = pytest.mark.django_db


def send_outbox():
    from core.outbox.services import messages_send_due

    return messages_send_due()


def test_a_request_is_recorded_numbered_and_acknowledged(buyer):
    """Given a signed-in buyer, when they ask for two items with a file,
    then the request is numbered and they get an HTML and text email with
    the number."""
    qr = submit(
        buyer,
        lines=[
            LineInput(quantity=3, manufacturer="TI", part_number="NE555P"),
            LineInput(quantity=1, description="Lab power supply 30 V 5 A"),
        ],
        files=[checked("datasheet.pdf", line_index=0)],
    )

    assert qr.number.startswith("DD") and qr.state == RequestState.SUBMITTED
    assert [line.label for line in qr.lines.all()] == ["TI NE555P", "Lab power supply 30 V 5 A"]
    stored = qr.files.get()
    assert stored.line == qr.lines.first() and stored.content_type == "application/pdf"
    assert send_outbox() == 1
    email = mail.outbox[-1]
    assert email.to == ["buyer@univ.example"] and qr.number in email.subject
    assert qr.number in email.body and qr.number in email.alternatives[0][0]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "Your request is empty"),
        ([LineInput(quantity=1)], "give a part number"),
        ([LineInput(quantity=0, description="x")], "between 1 and"),
        ([LineInput(quantity=10**9, description="x")], "between 1 and"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(buyer, lines, message):
    with pytest.raises(ProcurementError, match=message):
        submit(buyer, lines=lines or [LineInput(quantity=0)])
    assert QuoteRequest.objects.count() == 0
    assert send_outbox() == 0


def test_a_guest_must_give_email_and_phone():
    with pytest.raises(ProcurementError, match="email and phone"):
        submit(None, phone="")
    assert submit(None).user is None


def test_someone_elses_organisation_is_refused(buyer, other, institution):
    with pytest.raises(ProcurementError, match="one of your organisations"):
        submit(other, entity=institution)


def test_claiming_moves_to_researching_and_records_who(buyer, staff, other):
    qr = submit(buyer)
    quote_request_claim(request_id=qr.pk, by=staff)
    qr.refresh_from_db()
    assert (qr.state, qr.claimed_by) == (RequestState.RESEARCHING, staff)
    event = qr.events.get()
    assert (event.from_status, event.to_status, event.by) == ("submitted", "researching", staff)

    other.is_staff = True
    with pytest.raises(ProcurementError, match="already handled"):
        quote_request_claim(request_id=qr.pk, by=other)


def test_only_legal_moves_exist(buyer):
    qr = submit(buyer)
    with pytest.raises(ProcurementError, match="cannot go from"):
        request_move(qr, to=RequestState.ORDERED, source="staff")
    assert QuoteRequest.objects.get().state == RequestState.SUBMITTED


def test_staff_decline_tells_the_customer_and_notes_are_kept(buyer, staff):
    qr = submit(buyer)
    quote_request_note_add(request_id=qr.pk, by=staff, text="Obsolete part, asked Farnell")
    with pytest.raises(ProcurementError):
        quote_request_note_add(request_id=qr.pk, by=staff, text="  ")
    quote_request_decline(request_id=qr.pk, by=staff, note="No longer made.")
    send_outbox()

    assert QuoteRequest.objects.get().state == RequestState.DECLINED
    assert qr.notes.get().author == staff
    assert "No longer made." in mail.outbox[-1].body

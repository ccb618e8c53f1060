"""Quote requests: submitting one, its state moves (each recorded with who
and why), claiming one for staff."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procurement.exceptions import ProcurementError
from procurement.models import (
    MAX_QUANTITY,
    QuoteRequest,
    QuoteRequestEvent,
    QuoteRequestLine,
    QuoteRequestNote,
    RequestFile,
    RequestState,
)

from . import emails
from .uploads import CheckedFile

CUSTOMER, STAFF, SYSTEM = "customer", "staff", "system"

# The only moves of a request (DESIGN.md, "Procurement on demand").
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestState.SUBMITTED: frozenset(
        {RequestState.RESEARCHING, RequestState.QUOTED, RequestState.DECLINED}
    ),
    RequestState.RESEARCHING: frozenset({RequestState.QUOTED, RequestState.DECLINED}),
    RequestState.QUOTED: frozenset(
        {RequestState.ACCEPTED, RequestState.DECLINED, RequestState.EXPIRED}
    ),
    RequestState.ACCEPTED: frozenset({RequestState.ORDERED}),
    RequestState.EXPIRED: frozenset({RequestState.RESEARCHING}),
    RequestState.DECLINED: frozenset(),
    RequestState.ORDERED: frozenset(),
}
MAX_LINES = 50


@dataclass(frozen=True)
class LineInput:
    quantity: int
    manufacturer: str = ""
    part_number: str = ""
    supplier_reference: str = ""
    description: str = ""
    wished_date: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.part_number or self.supplier_reference or self.description)


@dataclass(frozen=True)
class FileInput:
    checked: CheckedFile
    name: str
    line_index: int | None = None


def lock_request(request_id: int) -> QuoteRequest:
    return QuoteRequest.objects.select_for_update().get(pk=request_id)


def request_move(qr: QuoteRequest, *, to: str, by=None, source: str, note: str = "", fields=()):
    """Move a locked request to ``to`` and record it; refuses any other move."""
    if to not in REQUEST_TRANSITIONS[qr.state]:
        raise ProcurementError(
            _("Request %(number)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "number": qr.number,
                "from": RequestState(qr.state).label,
                "to": RequestState(to).label,
            }
        )
    QuoteRequestEvent.objects.create(
        request=qr, from_status=qr.state, to_status=to, by=by, source=source, note=note
    )
    qr.state = to
    qr.save(update_fields=["state", "updated_at", *fields])


def _check_lines(lines: list[LineInput]) -> None:
    lines = [line for line in lines if not line.is_empty or line.quantity]
    if not lines:
        raise ProcurementError(_("Your request is empty: describe at least one item."))
    if len(lines) > MAX_LINES:
        raise ProcurementError(
            _("A request holds at most %(max)d lines: please split it.") % {"max": MAX_LINES}
        )
    for n, line in enumerate(lines, start=1):
        if line.is_empty:
            raise ProcurementError(
                _("Line %(n)d: give a part number, a supplier reference or a description.")
                % {"n": n}
            )
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise ProcurementError(
                _("Line %(n)d: the quantity must be between 1 and %(max)s.")
                % {"n": n, "max": f"{MAX_QUANTITY:,}".replace(",", " ")}
            )


def quote_request_submit(
    *,
    user=None,
    contact_name: str,
    email: str,
    phone: str = "",
    organisation_name: str = "",
    organisation_address: str = "",
    organisation_siret: str = "",
    organisation_service_code: str = "",
    legal_entity=None,
    message: str = "",
    lines: list[LineInput],
    files: Sequence[FileInput] = (),
    language: str = "fr",
    by_email: bool = False,
) -> QuoteRequest:
    """Record a request with its lines and files; the customer gets an
    acknowledgement with the request number. Nothing is written when a
    line is refused. ``by_email``: sent to the procurement address (staff
    complete it; the sender's email is all we know of them)."""
    lines = [line for line in lines if not (line.is_empty and not line.quantity)]
    _check_lines(lines)
    if legal_entity is not None and (user is None or legal_entity.user_id != user.pk):
        raise ProcurementError(_("Choose one of your organisations."))
    if user is None and not (email and phone) and not by_email:
        raise ProcurementError(_("Give your email and phone number so we can reach you."))
    with transaction.atomic():
        qr = QuoteRequest.objects.create(
            user=user,
            legal_entity=legal_entity,
            contact_name=contact_name,
            organisation_name=organisation_name or (legal_entity.name if legal_entity else ""),
            organisation_address=organisation_address.strip(),
            organisation_siret=organisation_siret,
            organisation_service_code=organisation_service_code.strip(),
            email=email,
            phone=phone,
            message=message,
            language=language,
        )
        qr.number = f"DD{qr.created_at:%y}-{qr.pk:05d}"
        qr.save(update_fields=["number"])
        saved_lines = QuoteRequestLine.objects.bulk_create(
            QuoteRequestLine(request=qr, position=n, **line.__dict__)
            for n, line in enumerate(lines, start=1)
        )
        for upload in files:
            line = None
            if upload.line_index is not None and upload.line_index < len(saved_lines):
                line = saved_lines[upload.line_index]
            request_file_store(qr, upload, line=line)
        emails.email_queue(
            key=f"request:{qr.pk}:received",
            to=qr.email,
            about=qr,
            subject=gettext_lazy("Your quote request %(number)s"),
            params={"number": qr.number},
            template="request_received",
            context={"qr": qr, "lines": saved_lines, "url": request_url(qr)},
            language=language,
        )
    return qr


def request_file_store(qr, upload: FileInput, *, line=None) -> RequestFile:
    from django.core.files.base import ContentFile

    checked = upload.checked
    stored = RequestFile(
        request=qr,
        line=line,
        token=secrets.token_hex(16),
        extension=checked.extension,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    stored.file.save("upload", ContentFile(checked.content), save=False)
    stored.save()
    return stored


def quote_request_from_email(
    *,
    email: str,
    contact_name: str,
    subject: str,
    body: str,
    files: Sequence[FileInput] = (),
    user=None,
    language: str = "fr",
) -> QuoteRequest:
    """An email to the procurement address becomes a request for staff to
    complete: one line saying what the email asks (its subject), its text as
    the message, its files; linked to ``user`` when the sender's address is
    theirs."""
    what = (subject or body or "").strip()[:500] or _("Request received by email")
    return quote_request_submit(
        user=user,
        contact_name=(contact_name or email)[:255],
        email=email,
        message=body,
        lines=[LineInput(quantity=1, description=what)],
        files=files,
        language=language,
        by_email=True,
    )


def request_url(qr) -> str:
    """Where the customer follows the request: their account, or for a
    guest, a link carrying the request's secret."""
    if qr.user_id:
        path = reverse("procurement:detail", kwargs={"number": qr.number})
    else:
        path = reverse("procurement:guest-access", kwargs={"token": guest_token(qr)})
    return emails.base_url() + path


def guest_token(qr) -> str:
    from django.core import signing

    return signing.Signer(salt="procurement.guest").sign(qr.number).replace(":", "~")


def quote_request_claim(*, request_id: int, by) -> QuoteRequest:
    """A staff member takes the request: it moves to "researching"."""
    with transaction.atomic():
        qr = lock_request(request_id)
        holder = qr.claimed_by if qr.claimed_by_id and qr.claimed_by_id != by.pk else None
        if holder is not None:
            raise ProcurementError(
                _("%(number)s is already handled by %(name)s.")
                % {"number": qr.number, "name": holder.get_full_name() or holder}
            )
        qr.claimed_by, qr.claimed_at = by, timezone.now()
        if qr.state in (RequestState.SUBMITTED, RequestState.EXPIRED):
            request_move(
                qr,
                to=RequestState.RESEARCHING,
                by=by,
                source=STAFF,
                fields=["claimed_by", "claimed_at"],
            )
        else:
            qr.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return qr


def quote_request_note_add(*, request_id: int, by, text: str) -> QuoteRequestNote:
    text = text.strip()
    if not text:
        raise ProcurementError(_("The note is empty."))
    return QuoteRequestNote.objects.create(request_id=request_id, author=by, text=text)


def quote_request_decline(*, request_id: int, by, note: str = "") -> QuoteRequest:
    """Staff cannot source the request (the customer is told why)."""
    with transaction.atomic():
        qr = lock_request(request_id)
        request_move(qr, to=RequestState.DECLINED, by=by, source=STAFF, note=note)
        emails.email_queue(
            key=f"request:{qr.pk}:declined",
            to=qr.email,
            about=qr,
            subject=gettext_lazy("Your quote request %(number)s"),
            params={"number": qr.number},
            template="request_declined",
            context={"qr": qr, "note": note, "url": request_url(qr)},
            language=qr.language,
        )
    return qr

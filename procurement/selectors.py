"""Reads for the customer pages: who may see which request, quote and file.

A signed-in customer reaches only their own requests; a guest, only those
they sent in this browser session or opened from the signed link in their
email; staff reach all. Anything else is a 404, never a 403, so that
request numbers reveal nothing."""

from django.core import signing
from django.http import Http404

from .models import QuoteRequest

GUEST_SESSION_KEY = "procurement_requests"


def requests_for(user):
    if user is None or not user.is_authenticated:
        return QuoteRequest.objects.none()
    return (
        QuoteRequest.objects.filter(user=user)
        .select_related("quote", "legal_entity")
        .prefetch_related("lines")
        .order_by("-created_at", "-pk")
    )


def may_see(request, qr) -> bool:
    user = request.user
    if user.is_authenticated and user.is_staff:
        return True
    if qr.user_id:
        return user.is_authenticated and user.pk == qr.user_id
    return qr.number in request.session.get(GUEST_SESSION_KEY, [])


def request_for_customer(request, number: str) -> QuoteRequest:
    qr = QuoteRequest.objects.select_related("quote", "legal_entity", "user").filter(number=number)
    qr = qr.first()
    if qr is None or not may_see(request, qr):
        raise Http404
    return qr


def guest_remember(request, qr) -> None:
    """This browser may see the guest's request (after sending it, or after
    opening the signed link from the email)."""
    numbers = request.session.get(GUEST_SESSION_KEY, [])
    if qr.number not in numbers:
        request.session[GUEST_SESSION_KEY] = [*numbers, qr.number][-20:]


def request_from_guest_token(token: str) -> QuoteRequest:
    try:
        number = signing.Signer(salt="procurement.guest").unsign(token.replace("~", ":"))
    except signing.BadSignature as exc:
        raise Http404 from exc
    qr = QuoteRequest.objects.filter(number=number, user=None).first()
    if qr is None:
        raise Http404
    return qr

"""The quote (devis) on the staff's side: sending it (priced, its PDF, the
email), the request following its order, and expiry. The customer's answer
(accepting, with a purchase order, declining) is in acceptance.py. Each
locks the request first and checks its state under the lock."""

import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.statuses import OrderStatus
from procurement.exceptions import ProcurementError
from procurement.models import Quote, QuoteLine, QuoteRequest, RequestState

from . import emails, pricing
from .documents import quote_pdf_issue
from .requests import STAFF, SYSTEM, lock_request, request_move, request_url

logger = logging.getLogger(__name__)


def quote_send(
    *,
    request_id: int,
    by,
    shipping: Decimal | None = None,
    handling_fee: Decimal | None = None,
    research_fee: Decimal | None = None,
    validity_days: int | None = None,
) -> Quote:
    """Price every line from its chosen offer, number the quote, make its
    PDF and email it to the customer; the request becomes "quoted"."""
    with transaction.atomic():
        qr = lock_request(request_id)
        if qr.state not in (RequestState.SUBMITTED, RequestState.RESEARCHING):
            raise ProcurementError(
                _("Request %(number)s is “%(state)s”: it cannot be quoted now.")
                % {"number": qr.number, "state": qr.state_label}
            )
        lines = list(qr.lines.select_related("chosen_offer__supplier").order_by("position", "pk"))
        missing = [str(line.position) for line in lines if line.chosen_offer is None]
        if missing:
            raise ProcurementError(
                _("Choose a supplier offer for line(s) %(lines)s first.")
                % {"lines": ", ".join(missing)}
            )
        priced = pricing.price_lines(lines)
        totals = pricing.quote_totals(
            priced, shipping=shipping, handling_fee=handling_fee, research_fee=research_fee
        )
        days = validity_days or settings.COMPTOIR_QUOTE_VALIDITY_DAYS
        sent_at = timezone.now()
        values = {
            "shipping_excl_tax": totals.shipping,
            "handling_fee": totals.handling_fee,
            "research_fee": totals.research_fee,
            "vat_rate": totals.vat_rate,
            "total_excl_tax": totals.excl_tax,
            "total_tax": totals.tax,
            "total_incl_tax": totals.incl_tax,
            "valid_until": timezone.localdate() + timedelta(days=days),
            "sent_at": sent_at,
            "sent_by": by,
        }
        quote, _created = Quote.objects.update_or_create(
            request=qr,
            defaults=values,
            create_defaults={**values, "token": secrets.token_hex(16)},
        )
        quote.lines.all().delete()
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                request_line=p.line,
                offer=p.offer,
                position=p.line.position,
                title=p.line.label[:255],
                reference=(p.line.part_number or p.line.supplier_reference)[:128],
                quantity=p.line.quantity,
                unit_cost=pricing.unit_cost_eur(p.offer),
                margin=p.margin,
                unit_price_excl_tax=p.unit_price,
                line_price_excl_tax=p.total,
                lead_time_days=p.offer.lead_time_days,
            )
            for p in priced
        )
        quote_pdf_issue(quote, by=by)
        request_move(qr, to=RequestState.QUOTED, by=by, source=STAFF)
        emails.email_queue(
            key=f"quote:{quote.pk}:sent:{sent_at.timestamp()}",
            to=qr.email,
            about=qr,
            subject=gettext_lazy("Your quote %(number)s"),
            params={"number": quote.number},
            template="quote_sent",
            context={"qr": qr, "quote": quote, "url": request_url(qr)},
            language=qr.language,
        )
    return quote


def request_order_moved(*, order, to_status: str) -> None:
    """An accepted quote's order went on (paid online, or confirmed): its
    request becomes "ordered". Called from the order_moved signal, inside
    the move's transaction."""
    if to_status != OrderStatus.IN_PROGRESS:
        return
    qr = QuoteRequest.objects.select_for_update().filter(quote__order=order).first()
    if qr is not None and qr.state == RequestState.ACCEPTED:
        request_move(qr, to=RequestState.ORDERED, by=None, source=SYSTEM)


def quotes_expire(*, today=None, batch_size: int = 200) -> int:
    """Beat job: quotes past their validity expire and the customer is told.
    Idempotent: rows are re-checked under the lock, claimed with
    skip_locked, and the notice has a dedupe key."""
    today = today or timezone.localdate()
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                QuoteRequest.objects.select_for_update(skip_locked=True)
                .filter(state=RequestState.QUOTED, quote__valid_until__lt=today)
                .order_by("pk")[:batch_size]
            )
            for qr in due:
                quote = qr.quote
                quote.expired_at = timezone.now()
                quote.save(update_fields=["expired_at"])
                request_move(
                    qr, to=RequestState.EXPIRED, source="beat:quotes_expire", note="validity passed"
                )
                emails.email_queue(
                    key=f"quote:{quote.pk}:expired",
                    to=qr.email,
                    about=qr,
                    subject=gettext_lazy("Your quote %(number)s has expired"),
                    params={"number": quote.number},
                    template="quote_expired",
                    context={"qr": qr, "quote": quote, "url": request_url(qr)},
                    language=qr.language,
                )
        done += len(due)
        if len(due) < batch_size:
            return done

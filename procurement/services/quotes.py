"""The quote (devis): sending it, the customer accepting it (online payment
or transfer, or an institution's purchase order) or declining it, and
expiry. Each locks the request first and checks its state under the lock."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from billing.payments.methods import payment_method_refusal
from core.payment_methods import PaymentMethod
from orders.exceptions import OrderError
from orders.services.placing import QuoteDelivery, QuotedLine, fee_reference, order_place_from_quote
from orders.statuses import OrderStatus
from procurement.exceptions import ProcurementError
from procurement.models import PurchaseOrder, Quote, QuoteLine, QuoteRequest, RequestState

from . import emails, pricing
from .documents import quote_pdf_issue
from .requests import CUSTOMER, STAFF, SYSTEM, FileInput, lock_request, request_move, request_url

logger = logging.getLogger(__name__)
Country = get_model("address", "Country")


@dataclass(frozen=True)
class DeliveryInput:
    """Where the customer wants the goods: collected at the shop, or an
    address (the recipient's name, street, postcode, city, country code)."""

    pickup: bool = False
    name: str = ""
    line1: str = ""
    line2: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"


def _order_delivery(delivery: DeliveryInput | None) -> QuoteDelivery | None:
    if delivery is None:
        return None
    if delivery.pickup:
        from shop.shipping.pricing import PickupDelivery
        from shop.shipping.repository import default_pickup_location

        counter = PickupDelivery(default_pickup_location())
        return QuoteDelivery(pickup_code=counter.code, pickup_name=counter.name)
    if not (delivery.line1.strip() and delivery.postcode.strip() and delivery.city.strip()):
        raise ProcurementError(_("Give the delivery address: street, postcode and city."))
    country = (delivery.country or "FR").upper()
    if not Country.objects.filter(pk=country, is_shipping_country=True).exists():
        raise ProcurementError(_("We do not deliver to this country: choose another address."))
    return QuoteDelivery(
        address={
            "last_name": delivery.name.strip()[:255],
            "line1": delivery.line1.strip()[:255],
            "line2": delivery.line2.strip()[:255],
            "postcode": delivery.postcode.strip()[:64],
            "line4": delivery.city.strip()[:255],
            "country_id": country,
        }
    )


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


def _lock_for_customer(quote_id: int, customer) -> tuple[QuoteRequest, Quote]:
    """The quote's request, locked, when ``customer`` may act on it and it
    is still open: a forged POST on someone else's quote is refused."""
    request_id = Quote.objects.filter(pk=quote_id).values_list("request_id", flat=True).first()
    if request_id is None:
        raise ProcurementError(_("This quote does not exist."))
    qr = lock_request(request_id)
    quote = qr.quote
    if qr.user_id and (customer is None or customer.pk != qr.user_id):
        raise ProcurementError(_("This quote does not exist."))
    if qr.state == RequestState.EXPIRED or (
        qr.state == RequestState.QUOTED
        and quote.valid_until
        and quote.valid_until < timezone.localdate()
    ):
        raise ProcurementError(
            _("Quote %(number)s has expired: ask us for an updated quote.")
            % {"number": quote.number}
        )
    if qr.state != RequestState.QUOTED:
        raise ProcurementError(
            _("Quote %(number)s is “%(state)s”: it can no longer be accepted or declined.")
            % {"number": quote.number, "state": qr.state_label}
        )
    return qr, quote


def _entity_for(customer, legal_entity_id):
    if not legal_entity_id:
        return None
    from shop.customer.selectors import legal_entities_for

    entity = legal_entities_for(customer).filter(pk=legal_entity_id).first()
    if entity is None:
        raise ProcurementError(_("Choose one of your organisations."))
    return entity


def quote_line_reference(line) -> str:
    """How an order line names the quote line it comes from."""
    return f"quote-line:{line.pk}"


def _quoted_lines(quote) -> list[QuotedLine]:
    lines = [
        QuotedLine(
            title=line.title,
            reference=line.reference,
            quantity=line.quantity,
            unit_price_excl_tax=line.unit_price_excl_tax,
            vat_rate=quote.vat_rate,
            lead_time_days=line.lead_time_days,
            line_reference=quote_line_reference(line),
        )
        for line in quote.lines.order_by("position", "pk")
    ]
    with translation.override(quote.request.language):
        fees = [
            (_("Handling fee"), quote.handling_fee),
            (_("Research fee"), quote.research_fee),
        ]
    lines += [
        QuotedLine(
            title=str(title),
            reference=fee_reference(quote.number),
            quantity=1,
            unit_price_excl_tax=amount,
            vat_rate=quote.vat_rate,
            awaited=False,
        )
        for title, amount in fees
        if amount
    ]
    return lines


def _place(qr, quote, *, customer, entity, payment_method, po_number="", delivery=None):
    """The order of the accepted quote, billed to ``entity`` and delivered
    as asked: a pickup at the shop charges no shipping."""
    with translation.override(qr.language):
        note = _("Quote %(number)s accepted.") % {"number": quote.number}
        order_delivery = _order_delivery(delivery)
    shipping = quote.shipping_excl_tax
    if order_delivery is not None and order_delivery.pickup_code:
        shipping = Decimal(0)
    try:
        order = order_place_from_quote(
            user=qr.user,
            email=qr.email,
            lines=_quoted_lines(quote),
            shipping_excl_tax=shipping,
            shipping_vat_rate=quote.vat_rate,
            legal_entity=entity,
            payment_method=payment_method,
            purchase_order_number=po_number,
            language=qr.language,
            note=note,
            delivery=order_delivery,
        )
    except OrderError as exc:
        raise ProcurementError(exc.message) from exc
    quote.order = order
    quote.accepted_at = timezone.now()
    quote.save(update_fields=["order", "accepted_at"])
    request_move(qr, to=RequestState.ACCEPTED, by=customer, source=CUSTOMER)
    order.refresh_from_db()
    if order.status == OrderStatus.IN_PROGRESS:
        request_move(qr, to=RequestState.ORDERED, by=None, source=SYSTEM)
    return order


def quote_accept(
    *,
    quote_id: int,
    customer,
    payment_method: str,
    legal_entity_id=None,
    delivery: DeliveryInput | None = None,
):
    """The customer accepts: an order is placed at the quoted prices, billed
    to the entity chosen (or the person), delivered where asked (or
    collected), to be paid by card or PayPal (the pay page), transfer or
    cheque (a purchase order, for the mandate, comes through
    ``purchase_order_attach``)."""
    if not payment_method:
        raise ProcurementError(_("Choose a payment method."))
    with transaction.atomic():
        qr, quote = _lock_for_customer(quote_id, customer)
        entity = _entity_for(customer, legal_entity_id) or qr.legal_entity
        refusal = quote_payment_method_refusal(
            code=payment_method, customer=customer, entity=entity
        )
        if refusal is not None:
            raise ProcurementError(refusal)
        return _place(
            qr,
            quote,
            customer=customer,
            entity=entity,
            payment_method=payment_method,
            delivery=delivery,
        )


def quote_payment_method_refusal(*, code: str, customer, entity) -> str | None:
    """Why a quote may not be accepted with ``code`` (the acceptance form, not a
    purchase order), or None: the one rule of billing.payments.methods."""
    return payment_method_refusal(code=code, user=customer, entity=entity, purchase_order_number="")


def purchase_order_attach(
    *,
    quote_id: int,
    customer,
    number: str,
    upload: FileInput,
    legal_entity_id,
    delivery: DeliveryInput | None = None,
) -> PurchaseOrder:
    """An institution accepts with its purchase order (PDF, already checked
    from its content) and number: the order, billed to the institution and
    delivered where the purchase order says, goes on with deferred payment
    by administrative mandate."""
    number = number.strip()
    if not number:
        raise ProcurementError(_("Give your purchase order number."))
    if upload.checked.content_type != "application/pdf":
        raise ProcurementError(_("The purchase order must be a PDF file."))
    with transaction.atomic():
        qr, quote = _lock_for_customer(quote_id, customer)
        entity = _entity_for(customer, legal_entity_id)
        if payment_method_refusal(
            code=PaymentMethod.MANDATE, user=customer, entity=entity, purchase_order_number=number
        ):
            raise ProcurementError(
                _(
                    "Only a public institution verified by our staff can order with a "
                    "purchase order. Contact us, or accept the quote with another payment method."
                )
            )
        po = PurchaseOrder(
            quote=quote,
            number=number[:64],
            token=secrets.token_hex(16),
            original_name=upload.name[:255],
            size=upload.checked.size,
            pages=upload.checked.pages,
            sha256=upload.checked.sha256,
            uploaded_by=customer,
        )
        po.file.save("po.pdf", ContentFile(upload.checked.content), save=False)
        po.save()
        _place(
            qr,
            quote,
            customer=customer,
            entity=entity,
            payment_method=PaymentMethod.MANDATE,
            po_number=po.number,
            delivery=delivery,
        )
    return po


def quote_decline(*, quote_id: int, customer, reason: str = "") -> Quote:
    with transaction.atomic():
        qr, quote = _lock_for_customer(quote_id, customer)
        quote.declined_at = timezone.now()
        quote.decline_reason = reason.strip()[:2000]
        quote.save(update_fields=["declined_at", "decline_reason"])
        request_move(
            qr, to=RequestState.DECLINED, by=customer, source=CUSTOMER, note=quote.decline_reason
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

"""The customer's answer to a quote: accepting it (the order placed at the
quoted prices, billed and delivered as asked, paid online, by transfer or
cheque), accepting it with an institution's purchase order, or declining it.
Each locks the request first and checks, under the lock, that the customer
may act on it and that it is still open."""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from billing.payments.methods import payment_method_refusal
from core.payment_methods import PaymentMethod
from orders.exceptions import OrderError
from orders.services.placing import QuoteDelivery, QuotedLine, fee_reference, order_place_from_quote
from orders.statuses import OrderStatus
from procurement.exceptions import ProcurementError
from procurement.models import PurchaseOrder, Quote, QuoteRequest, RequestState

from .requests import CUSTOMER, SYSTEM, FileInput, lock_request, request_move

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

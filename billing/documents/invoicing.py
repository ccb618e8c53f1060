"""The order's documents: invoice, credit note, proforma, delivery note,
and duplicates. Each service locks the order (or the invoice) it works on,
checks its rule under the lock, and issues through issue_document."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from oscar.core.loading import get_model

from billing.models import Document
from core.money import Totals, VatRow, line_net, to_cents, totals_for_gross
from core.outbox.models import OutboxMessage
from core.payment_methods import PaymentMethod, payment_method_label
from orders.amounts import order_line_rate, order_totals, shipping_rate, surcharge_rate

from . import data as d
from .data import DocumentData, Kind, References
from .emails import document_duplicate_waiting, document_email_queue
from .exceptions import DocumentError
from .parties import buyer_for_order, with_natures
from .selectors import customer_proforma_refusal, order_document_refusal
from .services import document_data, issue_document

Order = get_model("order", "Order")
MANDATE_DAYS = 30
PROFORMA_VALID_DAYS = 7


# --- from an order to DocumentData ------------------------------------------------


def _order_lines(order) -> list[d.Line]:
    """The invoice lines reproduce the order's: each line's quantity, its
    agreed unit price excl. VAT (as it has it: 0,38 stays 0,38) and its
    net, at the rate recorded with it; then the delivery and surcharges.
    Their totals are orders.amounts.order_totals(order), to the cent."""
    lines = []
    for line in order.lines.select_related(
        "product__product_class", "product__parent__product_class"
    ).order_by("pk"):
        net = to_cents(line.line_price_excl_tax)
        unit = line.unit_price_excl_tax
        if unit is None or line_net(unit, line.quantity) != net:
            # A discounted line: its unit price is its net over its quantity.
            unit = net / line.quantity
        lines.append(
            d.Line(
                description=line.title,
                part_number=getattr(line.product, "mpn", "") or "",
                quantity=Decimal(line.quantity),
                unit_price_excl=unit,
                vat_rate=order_line_rate(line),
                amount_excl=None if line_net(unit, line.quantity) == net else net,
            )
        )
    if order.shipping_excl_tax:
        label = _("Shipping")
        if order.shipping_method:
            label = f"{label}: {order.shipping_method}"
        lines.append(_charge_line(label, order.shipping_excl_tax, shipping_rate(order)))
    for charge in order.surcharges.all().order_by("pk"):
        if charge.excl_tax:
            lines.append(_charge_line(charge.name, charge.excl_tax, surcharge_rate(charge)))
    return lines


def _charge_line(label: str, net, rate) -> d.Line:
    return d.Line(description=label, quantity=1, unit_price_excl=to_cents(net), vat_rate=rate)


def _payment_text(order, *, kind: str, date) -> dict:
    """Payment method, terms, due date and whether it is paid, as printed."""
    method = order.payment_method
    label = payment_method_label(method)
    paid = order.paid_at is not None
    if paid and kind in (Kind.INVOICE, Kind.PROFORMA):
        terms = _("Paid on %(date)s.") % {
            "date": date_format(timezone.localdate(order.paid_at), "SHORT_DATE_FORMAT")
        }
        return {
            "payment_method": str(label),
            "payment_terms": terms,
            "paid": True,
            "due_date": None,
        }
    if method == PaymentMethod.MANDATE:
        due = date + timedelta(days=MANDATE_DAYS)
        terms = _("By administrative mandate, within %(days)s days of the invoice date.") % {
            "days": MANDATE_DAYS
        }
    elif kind == Kind.PROFORMA:
        due = date + timedelta(days=PROFORMA_VALID_DAYS)
        terms = _("Payable before shipment.")
    else:
        due = date
        terms = _("Payable on receipt.")
    return {"payment_method": str(label), "payment_terms": terms, "paid": False, "due_date": due}


def order_document_data(order, *, kind: str, date=None, **extra) -> DocumentData:
    """The order as a document of ``kind``, in the customer's language."""
    date = date or timezone.localdate()
    language = order.language or settings.LANGUAGE_CODE
    with override(language):
        fields = {
            "kind": kind,
            "buyer": buyer_for_order(order),
            "lines": with_natures(order, _order_lines(order)),
            "date": date,
            "language": language,
            "references": References(
                order_number=order.number, purchase_order_number=order.purchase_order_number
            ),
        }
        if kind in (Kind.INVOICE, Kind.PROFORMA):
            fields.update(_payment_text(order, kind=kind, date=date))
        if kind == Kind.DELIVERY_NOTE:
            fields.update(carrier=order.carrier, tracking_number=order.tracking_number)
        fields.update(extra)
        return DocumentData(**fields)


def _lock_order(order_id: int):
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("legal_entity", "user")
        .get(pk=order_id)
    )


def _recipient(order, data: DocumentData) -> str:
    return data.buyer.email or order.email


# --- invoice -------------------------------------------------------------------------


def invoice_for(order) -> Document | None:
    return Document.objects.without_pdf().filter(order=order, kind=Kind.INVOICE).first()


def invoice_issue(*, order_id: int, by=None, counter_paid: bool = False) -> Document:
    """Issue the order's invoice: once shipped, or for a counter sale once
    paid (``counter_paid`` when the payment is being recorded right now).
    Emailed to the customer; Factur-X for verified public institutions."""
    with transaction.atomic():
        order = _lock_order(order_id)
        return invoice_issue_locked(order, by=by, counter_paid=counter_paid)


def invoice_issue_locked(order, *, by=None, counter_paid: bool = False) -> Document:
    refusal = order_document_refusal(order, Kind.INVOICE, counter_paid=counter_paid)
    if refusal is not None:
        raise DocumentError(refusal)
    data = order_document_data(order, kind=Kind.INVOICE)
    # The invoice is what the customer ordered and paid, to the cent.
    agreed = order_totals(order)
    invoiced = (data.total_excl, data.total_vat, data.total_incl)
    if invoiced != (agreed.net, agreed.vat, agreed.gross) or agreed.gross != order.total_incl_tax:
        raise DocumentError(
            _(
                "The invoice of order %(number)s would total %(invoice)s, not the order's "
                "%(order)s: not issued. Check the order's lines and shipping."
            )
            % {"number": order.number, "invoice": data.total_incl, "order": order.total_incl_tax}
        )
    if counter_paid and not data.paid:
        with override(data.language):
            terms = _("Paid at the counter.")
        data = dataclasses.replace(data, paid=True, due_date=None, payment_terms=terms)
    entity = order.legal_entity
    return issue_document(
        data,
        issued_by=by,
        order=order,
        customer=order.user,
        facturx=bool(entity and entity.is_verified_institution),
        email_to=_recipient(order, data),
    )


# --- credit note ---------------------------------------------------------------------


def credit_note_issue(
    *, invoice_id: int, by=None, reason: str = "", lines: list[d.Line] | None = None
) -> Document:
    """A credit note against an invoice: all its lines (full cancellation or
    refund) or the ``lines`` given (amounts per line, positive). What all
    the credit notes of an invoice credit never exceeds the invoice."""
    with transaction.atomic():
        invoice = Document.objects.select_for_update().get(pk=invoice_id)
        if invoice.kind != Kind.INVOICE:
            raise DocumentError(_("A credit note refers to an invoice."))
        original = document_data(invoice)
        lines = list(lines) if lines else list(original.lines)
        if not lines or any(line.quantity <= 0 or line.unit_price_excl < 0 for line in lines):
            raise DocumentError(_("A credit note needs lines with positive quantities and prices."))
        data = DocumentData(
            kind=Kind.CREDIT_NOTE,
            buyer=original.buyer,
            lines=lines,
            date=timezone.localdate(),
            language=original.language,
            references=dataclasses.replace(
                original.references, invoice_number=invoice.number, invoice_date=invoice.date
            ),
            reason=reason,
            payment_method=original.payment_method,
        )
        credited = sum(
            (c.total_incl_tax for c in invoice.credit_notes.all().only("total_incl_tax")),
            Decimal(0),
        )
        if credited + data.total_incl > invoice.total_incl_tax:
            raise DocumentError(
                _("Invoice %(number)s would be credited more than its total.")
                % {"number": invoice.number}
            )
        order = invoice.order
        return issue_document(
            data,
            issued_by=by,
            order=order,
            customer=invoice.customer,
            refers_to=invoice,
            facturx=invoice.is_facturx,
            email_to=original.buyer.email,
        )


def credit_lines_for_amount(invoice: Document, amount_incl: Decimal, label: str) -> list[d.Line]:
    """Lines crediting ``amount_incl`` (incl. VAT), a refund of an amount
    rather than of goods: split over the invoice's VAT rates pro rata to
    what each rate totals (core.money.totals_for_gross), one line a rate."""
    original = document_data(invoice)
    share = totals_for_gross(amount_incl, _as_totals(original))
    return [
        d.Line(description=label, quantity=1, unit_price_excl=row.base, vat_rate=row.rate)
        for row in share.rows
        if row.base
    ]


def _as_totals(data: DocumentData) -> Totals:
    rows = (VatRow(rate=v.rate, base=v.base, vat=v.amount) for v in data.vat_breakdown)
    return Totals(rows=tuple(rows))


# --- proforma, delivery note ---------------------------------------------------------


def proforma_issue(*, order_id: int, by=None) -> Document:
    """A proforma for the order as it stands (staff, any time before the invoice)."""
    with transaction.atomic():
        order = _lock_order(order_id)
        refusal = order_document_refusal(order, Kind.PROFORMA)
        if refusal is not None:
            raise DocumentError(refusal)
        return _proforma_locked(order, by=by)


def _proforma_locked(order, *, by=None) -> Document:
    data = order_document_data(order, kind=Kind.PROFORMA)
    latest = (
        Document.objects.without_pdf()
        .filter(order=order, kind=Kind.PROFORMA)
        .order_by("-issued_at", "-pk")
        .first()
    )
    # The same order asked for twice gets the same proforma, not a new number.
    if latest and latest.total_incl_tax == data.total_incl and latest.date == data.date:
        return latest
    return issue_document(data, issued_by=by, order=order, customer=order.user)


def customer_may_get_proforma(order) -> bool:
    return customer_proforma_refusal(order) is None


def proforma_for_customer(*, order_id: int, by) -> Document:
    """A customer's proforma: for an unpaid order paid by transfer or mandate
    (what an accounting department needs to pay)."""
    with transaction.atomic():
        order = _lock_order(order_id)
        refusal = customer_proforma_refusal(order)
        if refusal is not None:
            raise DocumentError(refusal)
        return _proforma_locked(order, by=by)


def delivery_note_issue(*, order_id: int, by=None, parcels: int | None = None) -> Document:
    """The delivery note staff print when picking or shipping. Printed again,
    it is the same note (unless the parcels changed)."""
    with transaction.atomic():
        order = _lock_order(order_id)
        refusal = order_document_refusal(order, Kind.DELIVERY_NOTE)
        if refusal is not None:
            raise DocumentError(refusal)
        existing = (
            Document.objects.filter(order=order, kind=Kind.DELIVERY_NOTE)
            .order_by("-issued_at", "-pk")
            .first()
        )
        data = order_document_data(order, kind=Kind.DELIVERY_NOTE, parcels=parcels)
        if existing is not None:
            old = document_data(existing)
            if old.parcels == data.parcels and old.tracking_number == data.tracking_number:
                return existing
        return issue_document(data, issued_by=by, order=order, customer=order.user)


# --- re-sending ------------------------------------------------------------------------


def document_resend(*, document_id: int, by=None, recipient: str = "") -> OutboxMessage:
    """Staff send a document again (as issued) to the customer or another address."""
    with transaction.atomic():
        document = (
            Document.objects.without_pdf().select_related("customer", "order").get(pk=document_id)
        )
        recipient = recipient or _default_recipient(document)
        if not recipient:
            raise DocumentError(
                _("No email address to send %(number)s to.") % {"number": document.number}
            )
        return document_email_queue(document=document, recipient=recipient, requested_by=by)


def duplicate_request(*, document_id: int, by) -> OutboxMessage:
    """The customer asks for a duplicate: emailed, marked "duplicate". One
    waiting at a time per document (a double click sends one)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().without_pdf().get(pk=document_id)
        if document.kind not in Kind.ACCOUNTING:
            raise DocumentError(_("Duplicates are for invoices and credit notes."))
        waiting = document_duplicate_waiting(document)
        if waiting is not None:
            return waiting
        recipient = (by.email if by is not None else "") or _default_recipient(document)
        return document_email_queue(
            document=document, recipient=recipient, requested_by=by, duplicate=True
        )


def _default_recipient(document: Document) -> str:
    buyer_email = document.data.get("buyer", {}).get("email", "")
    if buyer_email:
        return buyer_email
    if document.customer_id:
        return document.customer.email
    return document.order.email if document.order_id else ""

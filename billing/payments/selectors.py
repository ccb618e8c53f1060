"""Reads: an order's balance and payments, and which order a payer may reach."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404
from oscar.core.loading import get_model

from billing.models import Document, Payment
from billing.payments.providers import available_providers
from core.money import to_cents
from core.payment_methods import PaymentMethod, payment_method_label
from orders.selectors import order_for_customer
from orders.statuses import OrderStatus

Order = get_model("order", "Order")
ZERO = Decimal("0.00")
# Online payment is offered while the order is not yet being picked.
PAYABLE_STATUSES = frozenset({OrderStatus.NEW, OrderStatus.RESERVED, OrderStatus.IN_PROGRESS})


def amount_paid(order) -> Decimal:
    """Succeeded payments less succeeded refunds."""
    sums = Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).aggregate(
        paid=Sum("amount", filter=Q(kind=Payment.Kind.PAYMENT)),
        refunded=Sum("amount", filter=Q(kind=Payment.Kind.REFUND)),
    )
    return (sums["paid"] or ZERO) - (sums["refunded"] or ZERO)


def amount_credited(order) -> Decimal:
    """What the order's credit notes took off what it owes (incl. VAT)."""
    credited = Document.objects.filter(order=order, kind=Document.Kind.CREDIT_NOTE).aggregate(
        total=Sum("total_incl_tax")
    )["total"]
    return credited or ZERO


def amount_owed(order) -> Decimal:
    """What the order costs the customer: its total incl. VAT less the
    credit notes issued against its invoice."""
    return to_cents(order.total_incl_tax - amount_credited(order))


def order_balance(order) -> Decimal:
    """What the customer still owes: owed (total less credit notes) − paid
    (payments less refunds); negative when overpaid. The one balance the
    admin, the customer's pages and the payment services read."""
    return to_cents(amount_owed(order) - amount_paid(order))


def order_amount_due(order) -> Decimal:
    """What the customer's pages say is still to pay: the balance when
    positive; nothing on a cancelled order (any money received is refunded,
    never asked for)."""
    if order.status == OrderStatus.CANCELLED:
        return ZERO
    return max(order_balance(order), ZERO)


def order_paid_with(order) -> list[str]:
    """How the order was paid: the labels of its methods that took money
    (succeeded payments), in the order they came, each once."""
    methods = (
        Payment.objects.filter(
            order=order, kind=Payment.Kind.PAYMENT, status=Payment.Status.SUCCEEDED
        )
        .order_by("created_at", "pk")
        .values_list("method", flat=True)
    )
    return list(dict.fromkeys(payment_method_label(code) for code in methods))


def order_is_payable(order) -> bool:
    """The pay page takes money for this order now: not yet being picked,
    something is due, and not on deferred terms (an institution's mandate
    is paid after the invoice, never "now"). The pay services check this
    under the order's lock; pages offer paying through order_payable_online."""
    method = PaymentMethod.of(order.payment_method)
    if method is not None and method.is_deferred:
        return False
    return order.status in PAYABLE_STATUSES and not order.is_paid and order_balance(order) > ZERO


def order_payable_online(order) -> bool:
    """The order page's "Pay now": payable, and a provider can take it."""
    return order_is_payable(order) and bool(available_providers())


def order_payments(order):
    """What the customer sees: money that went through (or is being
    checked), and refunds. An online attempt still pending, or failed, is
    not money received: it is left out, so that it never sits beside
    "still to pay" (the pay page resumes or replaces it)."""
    return (
        Payment.objects.filter(order=order)
        .exclude(status__in=[Payment.Status.CANCELLED, Payment.Status.FAILED])
        .exclude(Q(status=Payment.Status.PENDING) & ~Q(provider="") & Q(flag=""))
        .order_by("created_at", "pk")
    )


def order_for_payer(request, number: str):
    """The order the visitor may pay, or 404: as on the order pages
    (orders.selectors.order_for_customer: a customer's own orders, a guest
    with the signed link ``?h=`` and the email in session), and also the
    guest who has just placed it in this browser (Oscar's checkout keeps
    ``checkout_order_id`` in the session)."""
    try:
        return order_for_customer(request, number, guest_hash=request.GET.get("h", ""))
    except Http404:
        if request.user.is_authenticated:
            raise
    order_id = request.session.get("checkout_order_id")
    order = Order.objects.filter(number=number, user=None, pk=order_id).first()
    if order_id is None or order is None:
        raise Http404
    return order

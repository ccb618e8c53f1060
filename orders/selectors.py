from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.payment_methods import PaymentMethod
from orders.statuses import CUSTOMER_CANCELLABLE, EDITABLE, OPEN_UNSHIPPED, OrderStatus

Order = get_model("order", "Order")


def order_path(order) -> str:
    """Where the customer follows the order (guests get a signed link)."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def order_for_customer(request, number: str, *, guest_hash: str = ""):
    """The customer's own order, or 404: a signed-in customer reaches only
    their orders; a guest needs the signed hash of their order's link and,
    as on Oscar's guest order page, to have given the order's email."""
    if request.user.is_authenticated:
        order = Order.objects.filter(number=number, user=request.user).first()
    else:
        order = Order.objects.filter(number=number, user=None).first()
        email = request.session.get("anon_order_email", "")
        if order and not (
            order.check_verification_hash(guest_hash)
            and constant_time_compare(email.lower(), order.email.lower())
        ):
            order = None
    if order is None:
        raise Http404
    return order


# --- the rules a customer's order page, the admin and the services share -------
#
# Each ``*_refusal`` says why a move is refused now (a message for the person),
# or None; the service checks the same function under its lock, and pages
# offer an action only when it is None (tests/orders/test_rules.py walks every
# state and payment method to prove that they agree).

CONFIRM, EDIT, CANCEL = "confirm", "edit", "cancel"


def transfer_deadline(order):
    """The bank transfer's payment window ends then; the items are held as long."""
    return order.date_placed + timedelta(days=settings.COMPTOIR_TRANSFER_CANCEL_DAYS)


def order_deadline(order):
    """The one date the customer is told, in the email, on the order page and
    in the admin: by then the order must be confirmed (a reservation) or paid
    (a bank transfer; an online payment confirmed but not yet made), or it is
    cancelled by the timed jobs (orders.services.jobs). None: no deadline."""
    if order.status not in OPEN_UNSHIPPED:
        return None
    method = PaymentMethod.of(order.payment_method)
    if method == PaymentMethod.TRANSFER and not order.is_paid:
        return transfer_deadline(order)
    if order.status == OrderStatus.RESERVED:
        return order.reserved_until
    if (
        order.status == OrderStatus.IN_PROGRESS
        and not order.is_paid
        and method
        and method.is_online
    ):
        return order.reserved_until
    return None


def order_commits_itself(order) -> bool:
    """At reservation, with nothing differing from what the customer saw:
    an order paid already, or on deferred terms agreed (an institution's
    purchase order), goes on by itself; any other stays reserved until the
    customer confirms it or, for a transfer or cheque, its payment arrives."""
    method = PaymentMethod.of(order.payment_method)
    return order.is_paid or bool(method and method.is_deferred)


def order_customer_refusal(order, action: str) -> str | None:
    """Why the customer may not ``action`` ("confirm", "edit", "cancel") the
    order now, or None."""
    if action == CONFIRM:
        if order.status != OrderStatus.RESERVED:
            return _("This order has nothing to confirm.")
        method = PaymentMethod.of(order.payment_method)
        if not order.confirmation_required and not order.is_paid and method and method.is_online:
            return _("Nothing to confirm: your order goes on once paid.")
        return None
    if action == EDIT:
        if order.status not in EDITABLE or order.is_paid:
            return _("This order can no longer be changed.")
        if order.discounts.exists():
            # Its discounts were worked out on the basket as it was.
            return _("An order with a discount cannot be changed online: please contact us.")
        return None
    if action == CANCEL:
        if order.status not in CUSTOMER_CANCELLABLE:
            return _("Your order is already being prepared: please contact your manager.")
        return None
    raise ValueError(action)


@dataclass(frozen=True)
class CustomerActions:
    """What the customer's order page offers (paying is billing's:
    ``billing.payments.selectors.order_payable_online``)."""

    confirm: bool
    edit: bool
    cancel: bool

    def __bool__(self) -> bool:
        return self.confirm or self.edit or self.cancel


def order_customer_actions(order) -> CustomerActions:
    return CustomerActions(
        **{
            action: order_customer_refusal(order, action) is None
            for action in (CONFIRM, EDIT, CANCEL)
        }
    )


def order_delivered_at(order):
    """When the order was delivered (its move to "delivered"), or None."""
    if order.status != OrderStatus.DELIVERED:
        return None
    # The order's few moves, read whole: no query when its page prefetched them.
    moves = [move for move in order.transitions.all() if move.to_status == OrderStatus.DELIVERED]
    return max(moves, key=lambda move: move.pk).created_at if moves else None


def order_lines(order) -> list:
    """The order's lines in their order, each with its product and the
    product's parent: the lines its page prefetched, else one query."""
    if "lines" in getattr(order, "_prefetched_objects_cache", {}):
        return list(order.lines.all())
    return list(order.lines.select_related("product__parent").order_by("pk"))


def order_reviewable(order) -> bool:
    """Whether the order's page invites the customer to review its products:
    once they have them (delivered), not while it is unpaid or on its way."""
    return order.status == OrderStatus.DELIVERED


def order_picking_refusal(order, lines) -> str | None:
    """Why the order may not go to picking now (``lines``: its lines), or None:
    it must be paid, or on deferred terms, with every unit in hand."""
    if order.status != OrderStatus.IN_PROGRESS:
        return _("Only an order in progress goes to picking.")
    method = PaymentMethod.of(order.payment_method)
    if not (order.is_paid or (method and method.is_deferred)):
        return _("The payment has not been received.")
    if any(line.num_to_order for line in lines):
        return _("Some items are still awaited from suppliers.")
    return None


def transition_after_change(transition) -> bool:
    """The move re-reserves an order the customer has just changed: new →
    reserved right after a reserved → new (orders.services.editing), so its
    email says the total changed."""
    if (transition.from_status, transition.to_status) != (OrderStatus.NEW, OrderStatus.RESERVED):
        return False
    previous = transition.order.transitions.filter(pk__lt=transition.pk).order_by("-pk").first()
    return previous is not None and (previous.from_status, previous.to_status) == (
        OrderStatus.RESERVED,
        OrderStatus.NEW,
    )


# Words of an admin search that count (each must match).
SEARCH_MAX_WORDS = 5
# Past this many customers matching a word, their ids stay in SQL (a UNION of
# subqueries) rather than in the statement: a word as common as a domain name.
SEARCH_MAX_CUSTOMERS = 5000
# The admin's list counts the orders a search finds up to this many, then
# says "more than" (without a search: core.admin.CappedCountPaginator.cap).
SEARCH_COUNT_CAP = 1000


def orders_search(queryset, *, text: str):
    """The orders of ``queryset`` matching every word of ``text``: an order
    number starting with the word, or the word in the guest's email or in
    the customer's email, last name or first name (the admin's order search).

    Each branch can use an index on a million orders (bench/README.md, "The
    admin order list"): the number's prefix the unique number's
    ``varchar_pattern_ops`` index, the emails and names the trigram indexes of
    migrations orders 0028 and customer 0011 and 0012. The matching customers are read
    first (one query a word) and their ids given to the orders' filter as a
    list: PostgreSQL then knows how many orders they hold (its statistics of
    ``user_id``), where it guessed a handful from the trigram match, and for
    a common name (2 070 customers, 36 000 orders) it walks the
    ``date_placed`` index backwards checking each order against the ids,
    stopping at the page's 100, instead of reading and sorting all of them
    (bench/README.md, "The admin's search by a common name"). Past
    SEARCH_MAX_CUSTOMERS, the branches are joined by id (UNION), which
    PostgreSQL answers branch by branch, where one OR across two tables
    would scan them all.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for word in text.split()[:SEARCH_MAX_WORDS]:
        customers = User.objects.filter(
            Q(email__icontains=word) | Q(last_name__icontains=word) | Q(first_name__icontains=word)
        )
        ids = list(customers.values_list("pk", flat=True)[: SEARCH_MAX_CUSTOMERS + 1])
        if len(ids) <= SEARCH_MAX_CUSTOMERS:
            queryset = queryset.filter(
                Q(number__startswith=word) | Q(guest_email__icontains=word) | Q(user_id__in=ids)
            )
        else:
            matching = (
                Order.objects.filter(number__startswith=word)
                .order_by()
                .values("pk")
                .union(
                    Order.objects.filter(guest_email__icontains=word).order_by().values("pk"),
                    Order.objects.filter(user__in=customers.values("pk")).order_by().values("pk"),
                )
            )
            queryset = queryset.filter(pk__in=matching)
    return queryset

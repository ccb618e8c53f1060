"""The checkout's rules that are not Oscar's: the customer's choices
checked again before placing, placing an order exactly once, and where the
customer goes once it is placed."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from billing.payments.methods import payment_method_refusal
from core.payment_methods import PaymentMethod, payment_method_label
from orders.selectors import order_deadline
from shop.customer.selectors import legal_entities_for
from shop.shipping.pricing import is_pickup_code
from shop.shipping.repository import pickup_location_for

BillingAddressForm = get_class("payment.forms", "BillingAddressForm")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
logger = logging.getLogger("oscar.checkout")


def address_fields(form) -> dict:
    """An address form's values as Oscar's checkout session keeps them."""
    return {k: v for k, v in form.instance.__dict__.items() if not k.startswith("_")}


def entity_of(user, entity_id):
    """The account's own legal entity with that id, or None (another
    account's id, forged or stale, counts as none)."""
    if not entity_id:
        return None
    return legal_entities_for(user).filter(pk=entity_id).first()


def choices_refusal(request, choices, checkout_session) -> str | None:
    """Why the chosen billing and payment cannot be used now (the delivery
    or the billed entity may have changed since), or None."""
    if not choices.payment_method:
        return _("Please choose how you will pay.")
    entity = entity_of(request.user, choices.legal_entity_id)
    if choices.legal_entity_id and entity is None:
        return _("The billed company or institution is no longer on your account.")
    return payment_method_refusal(
        code=choices.payment_method,
        user=request.user,
        entity=entity,
        pickup=is_pickup_code(checkout_session.shipping_method_code(request.basket) or ""),
        purchase_order_number=choices.purchase_order_number,
    )


def order_fields(user, choices) -> dict:
    """What the order records of the customer's choices and consent."""
    return {
        "payment_method": choices.payment_method,
        "legal_entity": entity_of(user, choices.legal_entity_id),
        "purchase_order_number": choices.purchase_order_number,
        "terms_version": settings.COMPTOIR_TERMS_VERSION,
        "terms_accepted_at": timezone.now(),
    }


def checkout_place(*, view, basket, user, order_kwargs, **submission):
    """Place the basket's order, once: (order, True) when placed now,
    (the order placed before, False) when the basket was already submitted,
    (None, False) when placing failed (nothing is kept).

    The basket row is locked first: of two submits at once, the second
    waits, then finds the basket submitted and the first one's order.
    """
    try:
        with transaction.atomic():
            locked = (
                Basket.objects.select_for_update()
                .annotate(
                    has_vouchers=Exists(
                        Basket.vouchers.through.objects.filter(basket_id=OuterRef("pk"))
                    )
                )
                .filter(pk=basket.pk)
                .first()
            )
            if locked is None:
                return None, False
            # Read under the lock: placing skips the voucher queries without.
            basket.has_vouchers = locked.has_vouchers
            if locked.status != Basket.OPEN:
                return Order.objects.filter(basket_id=basket.pk).first(), False
            order = view.place_order(
                order_number=view.generate_order_number(basket),
                user=user,
                basket=basket,
                **submission,
                **order_kwargs,
            )
            basket.submit()
    except Exception:
        logger.exception("Basket %s: the order could not be placed", basket.pk)
        return None, False
    return order, True


def order_placed_from(request, basket_id):
    """The order a submitted basket made, if it is this visitor's."""
    try:
        basket_id = int(basket_id)
    except (TypeError, ValueError):
        return None
    order = Order.objects.filter(basket_id=basket_id).first()
    if order is None:
        return None
    if request.user.is_authenticated:
        return order if order.user_id == request.user.pk else None
    mine = order.user_id is None and request.session.get("checkout_order_id") == order.pk
    return order if mine else None


def remember_order(request, order) -> None:
    """The thank-you page, and a guest's order page, find the order by this."""
    request.session["checkout_order_id"] = order.pk
    if not order.user_id:
        request.session["anon_order_email"] = order.email


def landing_url(order) -> str:
    """Card and PayPal orders are paid next, on billing's page; the others
    are done: the thank-you page."""
    method = PaymentMethod.of(order.payment_method)
    if method is not None and method.is_online:
        try:
            return reverse("billing:pay", kwargs={"number": order.number})
        except NoReverseMatch:  # the payments app is not installed yet
            logger.warning("No billing:pay page: order %s goes to thank-you", order.number)
    return reverse("checkout:thank-you")


def order_summary(order, lines) -> dict:
    """What the thank-you page and the confirmation email recap."""
    method = PaymentMethod.of(order.payment_method)
    return {
        "lines": lines,
        "payment_method": method,
        "payment_method_label": payment_method_label(order.payment_method),
        "is_transfer": method == PaymentMethod.TRANSFER,
        "is_cheque": method == PaymentMethod.CHEQUE,
        "is_online": bool(method and method.is_online),
        "is_pickup": is_pickup_code(order.shipping_code),
        "pickup_location": pickup_location_for(order.shipping_code),
        # The one date the customer is told (orders.selectors.order_deadline).
        "deadline": order_deadline(order),
        "transfer_deadline": order_deadline(order) if method == PaymentMethod.TRANSFER else None,
        "transfer_days": settings.COMPTOIR_TRANSFER_CANCEL_DAYS,
        "legal": settings.COMPTOIR_LEGAL,
    }

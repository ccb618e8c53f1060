from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from oscar.core.loading import get_model

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

"""Oscar's basket middleware, reading the basket in a constant number of
queries (issue 14): the basket and whether it holds vouchers in one query,
its lines with what each step reads of them in two
(``shop.partner.baskets``), and the offers considered kept on the basket so
that the basket page does not ask for them again.
"""

from django.core.signing import BadSignature, Signer
from django.db.models import Exists, OuterRef
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_class, get_model

from shop.partner.baskets import basket_lines_load

OscarApplicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")


class Applicator(OscarApplicator):
    """Oscar's, without the voucher query for a basket known to hold none,
    and keeping the offers it considered on the basket
    (``basket.offers_considered``, read by the basket page's upsell messages)."""

    def get_basket_offers(self, basket, user):
        if getattr(basket, "has_vouchers", True) is False:
            return []
        return super().get_basket_offers(basket, user)

    def get_offers(self, basket, user=None, request=None):
        offers = super().get_offers(basket, user, request)
        basket.offers_considered = offers
        return offers


def open_basket_queryset():
    """Open baskets, each saying whether it holds a voucher (``has_vouchers``)."""
    vouchers = Basket.vouchers.through.objects.filter(basket_id=OuterRef("pk"))
    return Basket.open.annotate(has_vouchers=Exists(vouchers))


class BasketMiddleware(OscarBasketMiddleware):
    def get_cookie_basket(self, cookie_key, request, manager):
        """Oscar's, with ``has_vouchers`` read in the same query."""
        basket = None
        if cookie_key in request.COOKIES:
            try:
                basket_id = Signer().unsign(request.COOKIES[cookie_key])
                basket = open_basket_queryset().get(pk=basket_id, owner=None)
            except (BadSignature, Basket.DoesNotExist, ValueError):
                request.cookies_to_delete.append(cookie_key)
        return basket

    def apply_offers_to_basket(self, request, basket):
        if basket_lines_load(basket):
            Applicator().apply(basket, request.user, request)

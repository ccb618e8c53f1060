"""Oscar's wish-list views, with the one that 500s fixed.

Creating a wish list "with a product" that does not exist redirects to
``wishlists-create`` without its ``customer:`` namespace in Oscar 4.2
(NoReverseMatch, a 500 found by tests/security/test_fuzz.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.customer.wishlists.views import *  # noqa: F403
from oscar.apps.customer.wishlists.views import WishListCreateView as OscarWishListCreateView
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


class WishListCreateView(OscarWishListCreateView):
    def dispatch(self, request, *args, **kwargs):
        product_pk = kwargs.get("product_pk")
        if product_pk is not None and not Product.objects.filter(pk=product_pk).exists():
            messages.error(request, _("The requested product no longer exists"))
            return redirect("customer:wishlists-create")
        return super().dispatch(request, *args, **kwargs)

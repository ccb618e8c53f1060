"""Oscar's basket page, refusing a forged formset cleanly.

Oscar's ``BasketView.formset_invalid`` re-reads every field of the
management form from the request (``remove_deleted_forms``), so a POST
whose management form is missing a field or carries nonsense was a 500
(issue 12). A browser never sends that: it is a stale or forged page, and
the visitor is sent back to their basket with a message.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.basket.views import BasketView as OscarBasketView

from shop.partner.baskets import basket_lines_images, basket_lines_load


def management_form_is_whole(formset) -> bool:
    management = formset.management_form
    sent = all(management.add_prefix(name) in formset.data for name in management.fields)
    return sent and management.is_valid()


class BasketView(OscarBasketView):
    def get_queryset(self):
        """The lines the middleware read, with their products' images (one
        query more, for the thumbnails): as many queries for 20 lines as for 1."""
        lines = self.request.basket.all_lines()
        basket_lines_images(basket_lines_load(self.request.basket))
        return lines

    def get_upsell_messages(self, basket):
        """Oscar's, on the offers the basket was priced with (the middleware's
        applicator keeps them) instead of asking the database again."""
        offers = getattr(basket, "offers_considered", None)
        if offers is None:
            return super().get_upsell_messages(basket)
        applied = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied
        ]

    def formset_invalid(self, formset):
        if not management_form_is_whole(formset):
            messages.warning(
                self.request,
                _("Your basket could not be updated from that page. Please check it again."),
            )
            return redirect("basket:summary")
        return super().formset_invalid(formset)

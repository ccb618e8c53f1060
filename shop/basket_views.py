"""Oscar's basket page, refusing a forged formset cleanly, and saying what
it shows so that it can be kept in the visitor's own page cache.

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

from shop.catalogue.cache import CATALOGUE, cache_depends, cache_tags_touch, product_tag
from shop.catalogue.page_cache import OFFERS, basket_tag, user_tag
from shop.partner.baskets import basket_lines_images, basket_lines_load
from shop.shipping.repository import DELIVERY


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the page shows (shop.catalogue.page_cache.own_page_cache):
        # the lines and their products' stock and prices, the offers, the
        # delivery charge, the visitor's addresses and saved lines.
        basket, user = self.request.basket, self.request.user
        tags = [CATALOGUE, OFFERS, DELIVERY, basket_tag(basket.id)]
        tags += [product_tag(line.product_id) for line in basket.all_lines()]
        if user.is_authenticated:
            tags.append(user_tag(user.pk))
        saved = context.get("saved_formset")
        if saved is not None:
            tags += [basket_tag(line.basket_id) for line in saved.queryset[:1]]
            tags += [product_tag(line.product_id) for line in saved.queryset]
        cache_depends(*tags)
        return context

    def move_line_to_saved_basket(self, line):
        # The line leaves this basket by a save on the saved one's side:
        # this basket's page must know.
        basket_id = line.basket_id
        super().move_line_to_saved_basket(line)
        cache_tags_touch([basket_tag(basket_id), user_tag(self.request.user.pk)])

    def formset_invalid(self, formset):
        if not management_form_is_whole(formset):
            messages.warning(
                self.request,
                _("Your basket could not be updated from that page. Please check it again."),
            )
            return redirect("basket:summary")
        return super().formset_invalid(formset)

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


def management_form_is_whole(formset) -> bool:
    management = formset.management_form
    sent = all(management.add_prefix(name) in formset.data for name in management.fields)
    return sent and management.is_valid()


class BasketView(OscarBasketView):
    def formset_invalid(self, formset):
        if not management_form_is_whole(formset):
            messages.warning(
                self.request,
                _("Your basket could not be updated from that page. Please check it again."),
            )
            return redirect("basket:summary")
        return super().formset_invalid(formset)

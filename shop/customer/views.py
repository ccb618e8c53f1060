"""Oscar's account views; the registration forms get the request, for the
bot guard (core.antibot); an order line answers 404 or redirects, never 500."""

from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView
from oscar.apps.customer.views import OrderLineView as OscarOrderLineView
from oscar.core.loading import get_model


class AccountAuthView(OscarAccountAuthView):
    def get_registration_form_kwargs(self, bind_data=False):
        return {**super().get_registration_form_kwargs(bind_data), "request": self.request}


class AccountRegistrationView(OscarAccountRegistrationView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class OrderLineView(OscarOrderLineView):
    """Oscar's "buy this line again" (a POST). Oscar has no page for a GET
    and looked the line up with .get(): both were a 500 (issue 12). A GET
    goes to the order; a line not in the customer's order is a 404."""

    def get_object(self, queryset=None):
        order = get_object_or_404(
            get_model("order", "Order"), user=self.request.user, number=self.kwargs["order_number"]
        )
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        self.get_object()  # 404 for what is not the customer's
        return redirect("customer:order", self.kwargs["order_number"])

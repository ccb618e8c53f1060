"""Oscar's account views; the registration forms get the request, for the
bot guard (core.antibot); an order line answers 404 or redirects, never 500;
the order history, an order's page and a guest's in a fixed number of
queries."""

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView
from oscar.apps.customer.views import AnonymousOrderDetailView as OscarAnonymousOrderDetailView
from oscar.apps.customer.views import OrderDetailView as OscarOrderDetailView
from oscar.apps.customer.views import OrderHistoryView as OscarOrderHistoryView
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


class OrderHistoryView(OscarOrderHistoryView):
    """Oscar's order history. Each row shows its number of items
    (``Order.num_items``, a sum over the lines): the lines of the page's
    orders come in one query, not one per order (held by
    tests/customer/test_order_history_queries.py)."""

    def get_queryset(self):
        lines = get_model("order", "Line").objects.only("id", "order_id", "quantity")
        return super().get_queryset().prefetch_related(Prefetch("lines", queryset=lines))


class OrderDetailView(OscarOrderDetailView):
    """Oscar's order page, with the shop's sections (state and timeline,
    billing, payments, documents, returns, the conversation). The order
    comes with what the page reads of it in a fixed number of queries,
    whatever its number of lines or moves: each line with its product (its
    parent and class: VAT rate, return exclusions), options and whether the
    customer has reviewed it; the timeline; the surcharges (the totals);
    the address, billed entity, manager and quote (held by
    tests/orders/test_scale_queries.py)."""

    def get_object(self, queryset=None):
        Line = get_model("order", "Line")
        LineAttribute = get_model("order", "LineAttribute")
        ProductReview = get_model("reviews", "ProductReview")
        reviewed = ProductReview.objects.filter(
            product=OuterRef("product_id"), user=self.request.user
        )
        lines = (
            Line.objects.select_related("product__product_class", "product__parent__product_class")
            .annotate(reviewed=Exists(reviewed))
            .prefetch_related(
                Prefetch("attributes", queryset=LineAttribute.objects.select_related("option"))
            )
            .order_by("pk")
        )
        orders = (
            get_model("order", "Order")
            .objects.select_related(
                "shipping_address__country",
                "legal_entity",
                "manager__profile",
                "quote__request",
            )
            .prefetch_related(Prefetch("lines", queryset=lines), "transitions", "surcharges")
        )
        return get_object_or_404(orders, user=self.request.user, number=self.kwargs["order_number"])


class AnonymousOrderDetailView(OscarAnonymousOrderDetailView):
    """Oscar's page of a guest's order (its signed link and the email the
    guest gave), its lines read with their products, options (the
    description) and Oscar's shipping events (the status column) in three
    queries, whatever their number (held by tests/orders/test_scale_queries.py)."""

    def get_object(self, queryset=None):
        # Oscar asks twice (dispatch, then the detail view): read once.
        if not hasattr(self, "_order"):
            self._order = self._order_read()
        return self._order

    def _order_read(self):
        lines = (
            get_model("order", "Line")
            .objects.select_related("product")
            .prefetch_related(
                "shipping_events",
                Prefetch(
                    "attributes",
                    queryset=get_model("order", "LineAttribute").objects.select_related("option"),
                ),
            )
            .order_by("pk")
        )
        orders = get_model("order", "Order").objects.prefetch_related(
            Prefetch("lines", queryset=lines)
        )
        order = orders.filter(user=None, number=self.order_number).first()
        if order and order.check_verification_hash(self.hash) and order.email == self.email:
            return order
        return None

"""Oscar's checkout views, as Comptoir changes them.

Steps: identify (IndexView) → delivery address → delivery method →
billing and payment (PaymentMethodView) → review with the terms of sale
(PaymentDetailsView, preview) → placed: thank-you page, or billing's
payment page for card and PayPal.
"""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import views as oscar_views

from billing.payments.methods import payment_methods_available
from core.payment_methods import PaymentMethod
from orders.selectors import order_deadline, order_path
from shop.shipping.pricing import is_pickup_code

from . import services
from .forms import PaymentMethodForm, TermsForm
from .session import CheckoutChoices
from .summary import basket_figures, order_figures

logger = logging.getLogger("oscar.checkout")


class IndexView(oscar_views.IndexView):
    """Identify: sign in, register, or a guest's email (guarded against bots)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PaymentMethodView(oscar_views.PaymentMethodView, generic.FormView):
    """Billing address, the billed legal entity, and the payment method."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    success_url = reverse_lazy("checkout:preview")
    skip_conditions = []  # a free order still says who is billed

    def get(self, request, *args, **kwargs):
        return generic.FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return generic.FormView.post(self, request, *args, **kwargs)

    def get_success_url(self):
        return str(self.success_url)

    def shipping_code(self) -> str:
        return self.checkout_session.shipping_method_code(self.request.basket) or ""

    def get_form_kwargs(self):
        kwargs = generic.FormView.get_form_kwargs(self)
        choices = CheckoutChoices(self.checkout_session)
        billing_same = (
            not self.checkout_session.is_billing_address_set()
            or self.checkout_session.is_billing_address_same_as_shipping()
        )
        kwargs["initial"] = {
            "legal_entity": choices.legal_entity_id,
            "payment_method": choices.payment_method,
            "purchase_order_number": choices.purchase_order_number,
            "billing_same_as_shipping": billing_same,
        }
        kwargs.update(user=self.request.user, shipping_code=self.shipping_code())
        return kwargs

    def billing_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        if data is not None and data.get("billing_same_as_shipping"):
            # Unused (billing = shipping): left unbound, so it shows no errors.
            data = None
        initial = dict(self.checkout_session.new_billing_address_fields() or {})
        shipping = self.get_shipping_address(self.request.basket)
        initial["country"] = initial.pop("country_id", None) or (
            shipping.country_id if shipping else None
        )
        return services.BillingAddressForm(data, prefix="billing", initial=initial)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        entities = list(form.fields["legal_entity"].queryset) if form.has_entities else []
        # The methods this account may use with one of its entities (or
        # none): mandate shows when a verified institution can be chosen,
        # and the form checks it against the entity actually chosen.
        offered = set()
        for entity in [None, *entities]:
            offered.update(
                payment_methods_available(
                    user=self.request.user,
                    entity=entity,
                    pickup=is_pickup_code(self.shipping_code()),
                )
            )
        ctx["payment_options"] = [
            {
                "code": method.value,
                "label": method.label,
                "help": method.help,
                "needs_purchase_order": method.needs_purchase_order,
                "radio": radio,
            }
            for method, radio in zip(PaymentMethod, form["payment_method"], strict=True)
            if method in offered
        ]
        ctx["mandate_entities"] = [e for e in entities if e.is_verified_institution]
        ctx.setdefault("billing_form", self.billing_form())
        ctx["shipping_address"] = self.get_shipping_address(self.request.basket)
        return ctx

    def form_valid(self, form):
        billing_form = self.billing_form()
        if not form.cleaned_data["billing_same_as_shipping"]:
            if not billing_form.is_valid():
                return self.render_to_response(
                    self.get_context_data(form=form, billing_form=billing_form)
                )
            self.checkout_session.bill_to_new_address(services.address_fields(billing_form))
        else:
            self.checkout_session.bill_to_shipping_address()
        entity = form.cleaned_data.get("legal_entity")
        CheckoutChoices(self.checkout_session).save(
            legal_entity_id=entity.pk if entity else None,
            payment_method=form.cleaned_data["payment_method"],
            purchase_order_number=form.cleaned_data["purchase_order_number"].strip(),
        )
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        if "payment_method" in form.errors:
            for error in form.errors["payment_method"]:
                messages.error(self.request, error)
        return super().form_invalid(form)


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """The review (``preview``) and the placing of the order. Oscar's
    separate payment-details page is not used: payment happens after
    placing, on billing's page, or offline."""

    template_name_preview = "oscar/checkout/preview.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("action") == "place_order":
            # A second submit of the review (double click, back button,
            # another tab) lands on the order the first one placed.
            order = services.order_placed_from(request, request.POST.get("basket_id"))
            if order is not None:
                return self.landing(order)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def check_payment_data_is_captured(self, request):
        choices = CheckoutChoices(self.checkout_session)
        refusal = services.choices_refusal(request, choices, self.checkout_session)
        if refusal is not None:
            from oscar.apps.checkout.exceptions import FailedPreCondition

            raise FailedPreCondition(url=reverse("checkout:payment-method"), message=refusal)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        choices = CheckoutChoices(self.checkout_session)
        ctx["choices"] = choices
        ctx["payment_method_label"] = choices.payment_method_label
        method = PaymentMethod.of(choices.payment_method)
        ctx["payment_help"] = method.help if method else ""
        ctx["is_online"] = bool(method and method.is_online)
        ctx["legal_entity"] = services.entity_of(self.request.user, choices.legal_entity_id)
        ctx.update(
            basket_figures(ctx["basket"], ctx.get("shipping_charge"), ctx.get("order_total"))
        )
        total = ctx["order_total"].incl_tax if ctx.get("order_total") else None
        ctx.setdefault(
            "terms_form", TermsForm(initial={"basket_id": ctx["basket"].pk, "total": total})
        )
        ctx["terms_url"] = reverse("page", kwargs={"slug": "terms"})
        choices.save_seen_availability(ctx["basket"])
        return ctx

    def handle_place_order_submission(self, request):
        form = TermsForm(request.POST)
        if not form.is_valid():
            return self.render_preview(request, terms_form=form)
        submission = self.build_submission()
        # What is placed is what the customer reviewed: the basket changed
        # in another tab since (another basket, another total), review again.
        reviewed = (form.cleaned_data["basket_id"], form.cleaned_data["total"])
        if reviewed != (request.basket.pk, submission["order_total"].incl_tax):
            messages.warning(request, _("Your basket changed: please review it again."))
            return redirect("checkout:preview")
        return self.submit(**submission)

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        choices = CheckoutChoices(self.checkout_session)
        submission["order_kwargs"].update(services.order_fields(self.request.user, choices))
        submission["order_kwargs"]["seen_availability"] = choices.seen_availability
        return submission

    def submit(self, user, basket, shipping_address, shipping_method, shipping_charge,
               billing_address, order_total, payment_kwargs=None, order_kwargs=None,
               surcharges=None):  # fmt: skip
        """Place the order once: under a lock on the basket row, a basket
        already submitted gives back the order it made."""
        order, created = services.checkout_place(
            view=self,
            basket=basket,
            user=user,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            billing_address=billing_address,
            order_total=order_total,
            surcharges=surcharges,
            order_kwargs=order_kwargs or {},
        )
        if order is None:
            messages.error(self.request, _("Your order could not be placed: please try again."))
            return redirect("checkout:preview")
        if not created:
            return self.landing(order)
        return self.handle_successful_order(order)

    def send_order_placed_email(self, order):
        """Nothing: the confirmation leaves through the orders outbox, written
        with the order (orders.utils.OrderCreator), so it is sent once."""

    def handle_successful_order(self, order):
        self.placed_order = order
        response = super().handle_successful_order(order)
        services.remember_order(self.request, order)
        return response

    def get_success_url(self):
        return services.landing_url(self.placed_order)

    def landing(self, order):
        services.remember_order(self.request, order)
        return redirect(services.landing_url(order))


class ThankYouView(oscar_views.ThankYouView):
    template_name = "oscar/checkout/thank_you.html"

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        order = ctx["order"]
        lines = list(order.lines.all())
        ctx.update(services.order_summary(order, lines))
        ctx.update(order_figures(order, lines))
        ctx["order_url"] = order_path(order)
        # The one deadline the customer is told, here as in the email and the admin.
        ctx["held_until"] = order_deadline(order)
        return ctx

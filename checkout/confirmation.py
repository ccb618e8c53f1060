"""The one email a customer receives when an order is placed: everything
about the order (lines, totals, VAT, addresses, delivery and payment, and
for a bank transfer the bank details, the reference and the deadline), in
the customer's language. OrderCreator writes it to the orders outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from orders.services.notifications import order_next_step_context, order_url

from .services import order_summary
from .summary import order_figures

Order = get_model("order", "Order")


def confirmation_content(order) -> tuple[str, str, str]:
    """(subject, text, HTML) of the order's confirmation."""
    order = Order.objects.select_related(
        "shipping_address__country", "billing_address__country", "legal_entity"
    ).get(pk=order.pk)
    lines = list(order.lines.all())
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "order": order,
            **order_summary(order, lines),
            **order_next_step_context(order),
            **order_figures(order, lines),
            "order_url": order_url(order),
            "shipping_address": order.shipping_address,
            "billing_address": order.billing_address,
        }
        subject = _("Order %(number)s: thank you for your order") % {"number": order.number}
        text = render_to_string("oscar/checkout/email/confirmation.txt", context)
        html = render_to_string("oscar/checkout/email/confirmation.html", context)
    return subject, text, html

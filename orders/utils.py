"""Oscar's order placing, with Comptoir's stock rule: Oscar allocates stock
unconditionally (it oversells under concurrency); we place the order with
nothing held, then reserve it under row locks (orders.services)."""

import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.order import exceptions
from oscar.apps.order.signals import order_placed
from oscar.apps.order.utils import *  # noqa: F403
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator
from oscar.core.loading import get_model

from core.money import display_gross, to_cents
from shop.customer.selectors import customer_profile
from shop.partner.vat import rate_code, vat_rate_for

Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")
logger = logging.getLogger(__name__)


class OrderCreator(OscarOrderCreator):
    def place_order(
        self,
        basket,
        total,
        shipping_method,
        shipping_charge,
        user=None,
        shipping_address=None,
        billing_address=None,
        order_number=None,
        status=None,
        request=None,
        surcharges=None,
        seen_availability=None,
        **kwargs,
    ):
        """Oscar's placing (``oscar.apps.order.utils.OrderCreator``) in one
        transaction and a number of queries that does not grow with the
        lines (issue 14): the lines and their prices written in bulk, no
        voucher query for a basket that holds none (``has_vouchers``, read
        under the basket's lock by checkout.services), no look-up of the
        number first (it is unique in the database: a second order with it
        fails and rolls back). Then the stock is reserved, and the customer
        gets one confirmation email instead of one per move.

        ``seen_availability``: units available per basket line id (a
        string) as the review page showed them (checkout.session); lines
        the customer did not review count what is available now."""
        from orders.services.notifications import move_emails_replaced_by_confirmation
        from orders.services.transitions import order_reserve

        if basket.is_empty:
            raise ValueError(_("Empty baskets cannot be submitted"))
        if not order_number:
            order_number = OrderNumberGenerator().order_number(basket)
        if not status:
            status = getattr(settings, "OSCAR_INITIAL_ORDER_STATUS", None)
        self._seen_availability = seen_availability or {}
        has_vouchers = getattr(basket, "has_vouchers", True)
        with transaction.atomic():
            order = self.create_order_model(
                user,
                basket,
                shipping_address,
                shipping_method,
                shipping_charge,
                billing_address,
                total,
                order_number,
                status,
                request,
                surcharges=surcharges,
                **kwargs,
            )
            if has_vouchers:
                self._check_vouchers(basket, user)
            self._record_offers(order, basket, shipping_method)
            if has_vouchers:
                for voucher in basket.vouchers.all():
                    self.record_voucher_usage(order, voucher, user)
            # In basket order, so that the line pks keep the order the
            # customer saw; the reservation, not this, holds the stock.
            for line in basket.all_lines():
                self.create_line_models(order, line)
            self._write_lines()
            order_placed.send(sender=self, order=order, user=user)
            # Before any payment is taken: what can be served is known first.
            # The order exists whatever happens here; should the reservation
            # fail, the catch-up job (jobs.orders_reserve_waiting) redoes it.
            with move_emails_replaced_by_confirmation(order.pk):
                try:
                    order = order_reserve(order_id=order.pk, source="system")
                except Exception:  # never fail the checkout now
                    logger.exception("Order %s placed but not reserved yet", order.number)
            confirmation_queue(order)
        return order

    def _check_vouchers(self, basket, user) -> None:
        """Oscar's: inactive vouchers leave the basket, a voucher not for
        this customer stops the placing."""
        for voucher in basket.vouchers.select_for_update():
            if not voucher.is_active():
                basket.vouchers.remove(voucher)
            else:
                available_to_user, msg = voucher.is_available_to_user(user=user)
                if not available_to_user:
                    raise ValueError(msg)

    def _record_offers(self, order, basket, shipping_method) -> None:
        """Oscar's: the discounts of the offers applied, recorded."""
        for application in basket.offer_applications:
            application["message"] = application["offer"].apply_deferred_benefit(
                basket, order, application
            )
            if application["result"].affects_shipping:
                shipping_discount = shipping_method.discount(basket)
                if shipping_discount <= Decimal("0.00"):
                    continue
                application["discount"] = shipping_discount
            self.create_discount_model(order, application)
            self.record_discount(application)

    def create_order_model(self, user, *args, **extra_order_fields):
        profile = customer_profile(user)
        language = translation.get_language() or settings.LANGUAGE_CODE
        defaults = {
            "language": language.split("-")[0],
            "notify_phone": profile.sms_number if profile else "",
            "sms_opt_in": bool(profile and profile.sms_number),
        }
        return super().create_order_model(user, *args, **{**defaults, **extra_order_fields})

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        """Oscar's line, kept to be written with the others in bulk: Oscar
        writes a line and its price row one at a time (two queries a line)."""
        stockrecord = basket_line.stockrecord
        if not stockrecord:
            raise exceptions.UnableToPlaceOrder(f"Basket line #{basket_line.id} has no stockrecord")
        product, partner = basket_line.product, stockrecord.partner
        seen = getattr(self, "_seen_availability", {})
        if str(basket_line.pk) in seen:
            seen_num_available = seen[str(basket_line.pk)]
        else:
            seen_num_available = getattr(
                basket_line.purchase_info.availability, "num_available", None
            )
        rate = vat_rate_for(product)
        net = to_cents(basket_line.line_price_excl_tax_incl_discounts)
        line = Line(
            order=order,
            partner=partner,
            partner_name=partner.name,
            partner_sku=stockrecord.partner_sku,
            stockrecord=stockrecord,
            product=product,
            title=product.get_title(),
            upc=product.upc,
            quantity=basket_line.quantity,
            # Prices incl. VAT are for display: the line's net with its VAT
            # rounded once (not Oscar's unit price incl. VAT × quantity).
            line_price_excl_tax=net,
            line_price_incl_tax=display_gross(net, rate),
            line_price_before_discounts_excl_tax=basket_line.line_price_excl_tax,
            line_price_before_discounts_incl_tax=display_gross(
                basket_line.line_price_excl_tax, rate
            ),
            unit_price_incl_tax=basket_line.unit_price_incl_tax,
            unit_price_excl_tax=basket_line.unit_price_excl_tax,
            # The rate the basket's totals used (checkout.calculators).
            tax_code=rate_code(rate),
            status=getattr(settings, "OSCAR_INITIAL_LINE_STATUS", ""),
            # Nothing held yet: the reservation holds what stock allows.
            num_allocated=0,
            seen_num_available=seen_num_available,
            **(extra_line_fields or {}),
        )
        self._pending_lines = [*getattr(self, "_pending_lines", []), (line, basket_line)]
        return line

    def _write_lines(self) -> None:
        """Every line made by create_line_models, its price rows and options,
        in three queries (Oscar writes them one at a time)."""
        pending, self._pending_lines = getattr(self, "_pending_lines", []), []
        Line.objects.bulk_create([line for line, _basket_line in pending])
        prices, attributes = [], []
        for line, basket_line in pending:
            prices.extend(
                LinePrice(
                    order=line.order,
                    line=line,
                    quantity=quantity,
                    price_incl_tax=incl,
                    price_excl_tax=excl,
                    tax_code=basket_line.tax_code,
                )
                for incl, excl, quantity in basket_line.get_price_breakdown()
            )
            attributes.extend(
                LineAttribute(line=line, option=a.option, type=a.option.code, value=a.value)
                for a in basket_line.attributes.all()
            )
            self.create_line_discount_models(line.order, line, basket_line)
            self.create_additional_line_models(line.order, line, basket_line)
        LinePrice.objects.bulk_create(prices)
        if attributes:
            LineAttribute.objects.bulk_create(attributes)


def confirmation_queue(order) -> None:
    """One email at placing: the moves made while placing (reserved, and
    in progress for an order paid later) wrote none
    (``move_emails_replaced_by_confirmation``); the customer gets the full
    confirmation instead."""
    from checkout.confirmation import confirmation_content
    from core.outbox.models import OutboxMessage
    from core.outbox.services import outbox_message, outbox_queue

    if not order.email:
        return
    subject, text, html = confirmation_content(order)
    outbox_queue(
        [
            outbox_message(
                about=order,
                channel=OutboxMessage.Channel.EMAIL,
                recipient=order.email,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=f"order:{order.pk}:placed",
            )
        ]
    )

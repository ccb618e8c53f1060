from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

from core.audit import StateChange
from core.payment_methods import PaymentMethod

from .statuses import OSCAR_PIPELINE, TRANSITIONS, OrderStatus

# A quote's fees (handling, research) become order lines with this reference
# (orders.services.placing.fee_reference).
FEE_REFERENCE_PREFIX = "FEE-"


class Order(AbstractOrder):
    # Stock held for the order runs out then (COMPTOIR_RESERVATION_DAYS).
    reserved_until = models.DateTimeField(_("reserved until"), null=True, blank=True)
    # Set by the reservation when what can be served, or a price, differs
    # from what the customer saw: they must confirm before we go on.
    confirmation_required = models.BooleanField(_("confirmation required"), default=False)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_orders",
    )
    payment_method = models.CharField(
        _("payment method"), max_length=32, blank=True, choices=PaymentMethod.choices
    )
    # Set by billing when the payments received cover the total.
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    transfer_reminded_at = models.DateTimeField(
        _("bank transfer reminder sent at"), null=True, blank=True
    )
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    ready_for_pickup = models.BooleanField(_("ready for pickup at the shop"), default=False)
    language = models.CharField(_("language"), max_length=10, default="fr")
    notify_phone = models.CharField(_("mobile number for SMS"), max_length=32, blank=True)
    sms_opt_in = models.BooleanField(_("agreed to SMS notifications"), default=False)
    # Who is billed when a company or institution buys (none: the person).
    legal_entity = models.ForeignKey(
        "customer.LegalEntity",
        verbose_name=_("billed entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # An institution's purchase order (bon de commande), printed on its invoice.
    purchase_order_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    terms_version = models.CharField(_("terms of sale accepted"), max_length=32, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)

    # Oscar's dashboard may list the states but move none: its status change
    # skips our locks, guards, stock and notifications. Moves are made in the
    # admin, through orders.services. (Oscar reads it from settings, which
    # import no app code.)
    pipeline = OSCAR_PIPELINE

    class Meta(AbstractOrder.Meta):
        indexes = [
            models.Index(fields=["status", "reserved_until"], name="order_status_reserved"),
            # The admin's payment-method filter (bench/README.md, EXPLAIN).
            models.Index(fields=["payment_method"], name="order_payment_method"),
        ]
        # Our own msgids: Django's catalogue would otherwise say "Ordre".
        verbose_name = _("Order")
        verbose_name_plural = _("Orders")

    def __str__(self):
        # The number, as staff and customers know it (Oscar prints "#100013"):
        # the admin says "Order 100013" (core.outbox.admin.about_link).
        return self.number

    @property
    def status_label(self) -> str:
        return OrderStatus(self.status).label if self.status in OrderStatus.values else self.status

    def available_transitions(self) -> list[str]:
        """The states this order may move to next, in pipeline order."""
        allowed = TRANSITIONS.get(self.status, frozenset())
        return [s for s in OrderStatus.values if s in allowed]

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class Line(AbstractLine):
    # Oscar's ``num_allocated`` holds the units reserved from stock; the rest
    # of the quantity is bought from a supplier, in about this many days.
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    # How many units the customer saw available when ordering; the
    # reservation asks them to confirm when it serves fewer.
    seen_num_available = models.PositiveIntegerField(null=True, blank=True)
    # Units of a line with no stock record (a quoted line) still awaited
    # from a supplier; goods receipt counts them down (orders.services.receiving).
    num_awaited = models.PositiveIntegerField(_("awaited from suppliers"), default=0)

    class Meta(AbstractLine.Meta):
        pass

    @property
    def tracks_stock(self) -> bool:
        product_class = self.product.get_product_class() if self.product_id else None
        return bool(product_class and product_class.track_stock)

    @property
    def is_fee(self) -> bool:
        """A quote's handling or research fee (orders.services.placing), not goods."""
        return not self.product_id and self.partner_sku.startswith(FEE_REFERENCE_PREFIX)

    @property
    def num_to_order(self) -> int:
        """Units still awaited from a supplier (none for a fee or a service)."""
        if not self.tracks_stock:
            return self.num_awaited
        return self.quantity - (self.num_allocated or 0)


class OrderTransition(StateChange):
    """One move of an order: from, to, when, by whom (or which job), why.
    Printed by its states' labels ("New → Reserved", StateChange.__str__):
    the order's page, where its inline shows it, says which order."""

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=32, choices=OrderStatus.choices)
    to_status = models.CharField(_("to"), max_length=32, choices=OrderStatus.choices)

    class Meta(StateChange.Meta):
        verbose_name = _("order transition")
        verbose_name_plural = _("order transitions")


from oscar.apps.order.models import *  # noqa: E402,F403

"""Oscar's analytics count each product bought with one UPDATE per order
line; placing a 10-line order paid ten queries for it. The same counts in
two or three queries."""

from collections import Counter

from django.db.models import Case, F, IntegerField, Value, When
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

ProductRecord = get_model("analytics", "ProductRecord")


def record_order(sender, order, user, **kwargs):
    if kwargs.get("raw", False):
        return
    bought = Counter()
    for product_id, quantity in order.lines.values_list("product_id", "quantity"):
        if product_id:
            bought[product_id] += quantity
    known = set(
        ProductRecord.objects.filter(product_id__in=bought).values_list("product_id", flat=True)
    )
    if known:
        increment = Case(
            *[When(product_id=pk, then=Value(bought[pk])) for pk in known],
            default=Value(0),
            output_field=IntegerField(),
        )
        ProductRecord.objects.filter(product_id__in=known).update(
            num_purchases=F("num_purchases") + increment
        )
    new = [
        ProductRecord(product_id=pk, num_purchases=n) for pk, n in bought.items() if pk not in known
    ]
    if new:
        ProductRecord.objects.bulk_create(new, ignore_conflicts=True)
    if user and user.is_authenticated:
        oscar_receivers._record_user_order(user, order)


def replace_oscar_receiver() -> None:
    order_placed.disconnect(oscar_receivers.receive_order_placed)
    order_placed.connect(record_order, dispatch_uid="comptoir.analytics.record_order")

# The admin's order list over a million orders: the search by a guest's
# email (orders.selectors.orders_search) and the payment-method filter use
# an index (EXPLAIN in bench/README.md).

from django.db import migrations, models

from core.search_indexes import trigram_index


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("order", "0027_payment_method_choices"),
    ]

    operations = [
        trigram_index(name="order_guest_email_trgm", table="order_order", column="guest_email"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["payment_method"], name="order_payment_method"),
        ),
    ]

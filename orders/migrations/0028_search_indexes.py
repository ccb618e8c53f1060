# The admin's order search by a guest's email uses an index over a million
# orders (orders.selectors.orders_search; EXPLAIN in bench/README.md).

from django.db import migrations

from core.search_indexes import trigram_index


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("order", "0027_payment_method_choices"),
    ]

    operations = [
        trigram_index(name="order_guest_email_trgm", table="order_order", column="guest_email"),
    ]

# The admin's order search finds a customer by first name too ("Camille
# Martin": each word must match, the first name one of them), by index
# like the last name (orders.selectors.orders_search).

from django.db import migrations

from core.search_indexes import trigram_index


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [("customer", "0011_user_search_indexes")]

    operations = [
        trigram_index(name="user_first_name_trgm", table="auth_user", column="first_name"),
    ]

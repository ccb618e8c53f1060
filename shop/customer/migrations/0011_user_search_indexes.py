# The admin's order search by the customer's email or last name finds the
# customers by index first (orders.selectors.orders_search; EXPLAIN in
# bench/README.md). Django's auth_user is the accounts' table: the customer
# app, which forks Oscar's accounts, owns its indexes.

from django.db import migrations

from core.search_indexes import trigram_index


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("customer", "0010_legal_entities"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        trigram_index(name="user_email_trgm", table="auth_user", column="email"),
        trigram_index(name="user_last_name_trgm", table="auth_user", column="last_name"),
    ]

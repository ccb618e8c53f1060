# The storefront search (shop.catalogue.selectors.product_search: every word
# in the part number, reference, title, manufacturer or description) uses
# indexes over 100 000 products instead of reading them all (EXPLAIN in
# bench/README.md). PostgreSQL only; SQLite is left as it was.

from django.db import migrations

from core.search_indexes import trigram_index

COLUMNS = ("mpn", "upc", "title", "manufacturer", "description")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [
        ("catalogue", "0033_product_manufacturer_product_mpn"),
    ]

    operations = [
        trigram_index(name=f"product_{column}_trgm", table="catalogue_product", column=column)
        for column in COLUMNS
    ]

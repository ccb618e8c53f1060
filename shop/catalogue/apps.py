from oscar.apps.catalogue import apps


class CatalogueConfig(apps.CatalogueConfig):
    """Oscar's catalogue, forked to give products a manufacturer part number
    and to list products with our own query-lean views."""

    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401

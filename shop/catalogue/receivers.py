from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from .cache import bump_catalogue_version

WATCHED = [
    get_model("catalogue", name)
    for name in (
        "Product",
        "Category",
        "ProductCategory",
        "ProductImage",
        "ProductAttributeValue",
        "ProductClass",
        "ProductAttribute",
        "AttributeOption",
    )
] + [get_model("partner", "StockRecord"), get_model("partner", "Partner")]


def _bump(**kwargs):
    # After the commit: a page rendered between the save and the commit
    # would otherwise cache the old value under the new version.
    transaction.on_commit(bump_catalogue_version)


for model in WATCHED:
    post_save.connect(_bump, sender=model, dispatch_uid=f"catalogue-cache-save-{model.__name__}")
    post_delete.connect(
        _bump, sender=model, dispatch_uid=f"catalogue-cache-delete-{model.__name__}"
    )
m2m_changed.connect(
    _bump, sender=get_model("catalogue", "Product").categories.through, dispatch_uid="cat-m2m"
)

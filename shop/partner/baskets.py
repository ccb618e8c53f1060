"""How a basket's lines are read: once per request, with everything pricing,
VAT, stock, the offers and placing read of each line, in a constant number
of queries whatever the number of lines (issue 14).

Oscar's ``Basket.all_lines()`` selects the product and the stock record but
not the product class (the VAT rate and ``track_stock`` read it: one query a
line), and counts the lines (``is_empty``) before reading them, twice per
checkout step. ``basket_lines_load`` puts an evaluated queryset in the
basket's own cache (``_lines``, which Oscar resets on every change), so that
``all_lines()``, ``num_lines`` and ``is_empty`` read it without a query.
"""

from django.db.models import Exists, OuterRef, prefetch_related_objects
from oscar.core.loading import get_model

LineAttribute = get_model("basket", "LineAttribute")


def basket_lines_queryset(basket):
    """The basket's lines, ordered as Oscar orders them, with their product,
    product class (its own or its parent's), stock record and partner in the
    same query, and whether each has options (line attributes: Comptoir's
    parts have none, so most baskets need no second query for them)."""
    options = LineAttribute.objects.filter(line_id=OuterRef("pk"))
    return (
        basket.lines.select_related(
            "product__product_class",
            "product__parent__product_class",
            "stockrecord__partner",
        )
        .annotate(has_options=Exists(options))
        .order_by("pk")
    )


def _options_load(lines) -> None:
    """Each line's options, as ``line.attributes.all()`` reads them: one
    query for the lines that have some, none for those known to have none."""
    with_options = [line for line in lines if getattr(line, "has_options", True)]
    for line in lines:
        if not getattr(line, "has_options", True):
            cache = line.__dict__.setdefault("_prefetched_objects_cache", {})
            cache["attributes"] = LineAttribute.objects.none()
    if with_options:
        prefetch_related_objects(with_options, "attributes")


def basket_lines_load(basket) -> list:
    """Read the basket's lines once (one query, two when a line has options,
    none for a basket not yet saved) and keep them in the basket; returns
    them. A basket whose lines are already read is left as it is (offers may
    have changed them)."""
    if basket.id is None:
        return []
    cached = basket._lines
    if cached is None or cached._result_cache is None:
        cached = basket._lines = basket_lines_queryset(basket)
        lines = list(cached)
        _options_load(lines)
        return lines
    return list(cached)


def basket_lines_images(lines) -> None:
    """The images of the lines' products (and of their parents), in one
    query each: the basket page shows a thumbnail per line."""
    products = [line.product for line in lines]
    prefetch_related_objects(products, "images")
    parents = [p.parent for p in products if p.parent_id is not None]
    if parents:
        prefetch_related_objects(parents, "images")

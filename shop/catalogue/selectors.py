"""Read-only queries of the storefront, each built to a fixed number of SQL
queries however many products a page shows."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")

MAX_SEARCH_TERMS = 8


def product_list_queryset() -> QuerySet:
    """Public products with what a product card shows, in three queries."""
    return (
        Product.objects.browsable()
        .select_related("product_class")
        .prefetch_related(
            "stockrecords",
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        )
        .order_by("-date_created", "-pk")
    )


def category_products(*, category_path: str) -> QuerySet:
    """Products of a category and of every category below it.

    A semi-join (``pk IN (products of the tree's categories)``), not a join
    made distinct: DISTINCT over every column of 5 000 products (their
    descriptions too) sorted them all to show 24 (bench/README.md, "At
    scale")."""
    in_tree = ProductCategory.objects.filter(category__path__startswith=category_path)
    return product_list_queryset().filter(pk__in=in_tree.values("product_id"))


def product_search(*, query: str) -> QuerySet:
    """Products matching every word of ``query``; an exact part number comes first."""
    terms = query.split()[:MAX_SEARCH_TERMS]
    if not terms:
        return product_list_queryset().none()
    queryset = product_list_queryset()
    for term in terms:
        queryset = queryset.filter(
            Q(mpn__icontains=term)
            | Q(upc__icontains=term)
            | Q(title__icontains=term)
            | Q(manufacturer__icontains=term)
            | Q(description__icontains=term)
        )
    exact = Q(mpn__iexact=query.strip()) | Q(upc__iexact=query.strip())
    return queryset.annotate(
        rank=Case(
            When(exact, then=Value(0)),
            When(mpn__istartswith=terms[0], then=Value(1)),
            When(title__icontains=terms[0], then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "title", "pk")


def product_detail(*, pk: int):
    """One public product with its images, attributes and categories."""
    return (
        Product.objects.filter(is_public=True)
        .select_related("product_class", "parent")
        .prefetch_related(
            "stockrecords",
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
            "attribute_values__attribute",
            "attribute_values__value_option",
            Prefetch("categories", queryset=Category.objects.browsable()),
        )
        .get(pk=pk)
    )


def category_lineage(category) -> list:
    """The category's ancestors and itself, root first, in one query."""
    step = Category.steplen
    paths = [category.path[: step * depth] for depth in range(1, category.depth + 1)]
    return list(Category.objects.filter(path__in=paths).order_by("depth"))


def _category_url(slugs, pk) -> str:
    return reverse("catalogue:category", kwargs={"category_slug": "/".join(slugs), "pk": pk})


def category_breadcrumbs(lineage) -> list[dict]:
    """(name, url) of each category of a lineage, with URLs built from the
    slugs at hand (Oscar's get_absolute_url queries each parent)."""
    slugs = [node.slug for node in lineage]
    return [
        {"name": node.name, "url": _category_url(slugs[: i + 1], node.pk)}
        for i, node in enumerate(lineage)
    ]


def category_children(lineage) -> list[dict]:
    """(name, url) of the public categories right below the lineage's last one."""
    category, slugs = lineage[-1], [node.slug for node in lineage]
    children = Category.objects.filter(
        path__startswith=category.path, depth=category.depth + 1, is_public=True
    ).order_by("path")
    return [{"name": c.name, "url": _category_url([*slugs, c.slug], c.pk)} for c in children]


def menu_categories() -> list:
    """Top-level categories with their direct children, for the navigation."""
    categories = list(Category.objects.for_menu().filter(depth__lte=2).order_by("path"))
    roots = []
    for category in categories:
        if category.depth == 1:
            category.menu_children = []
            roots.append(category)
        elif roots and category.path.startswith(roots[-1].path):
            roots[-1].menu_children.append(category)
    return roots

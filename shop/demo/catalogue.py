"""Builds the demo catalogue from the part tables, in bulk.

Every step creates only what is missing, keyed on the product's UPC (our
reference, "CPT-00123"), so a second run creates nothing and leaves stock
that demo orders consumed as it is. Bulk inserts send no signals: the
catalogue cache is invalidated once at the end instead.
"""

import random
from dataclasses import dataclass
from html import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.checks import use_productcategory_materialised_view
from oscar.core.loading import get_model
from oscar.core.utils import slugify

from shop.catalogue.cache import catalogue_changed

from . import electronics, equipment, modules, series
from .data import PRODUCT_CLASSES, ROOT_CATEGORIES, Family, Part
from .images import product_image

AttributeValue = get_model("catalogue", "ProductAttributeValue")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

SEED = 2026  # same stock levels on every machine and every run
PARTNER = "Comptoir"
IMAGE_DIR = "images/products/demo"  # fixed, not Oscar's dated folder: reruns find the files
LEAD_TIMES = [3, 5, 7, 10, 15, 21]


@dataclass(frozen=True)
class Planned:
    upc: str
    family: Family
    part: Part
    num_in_stock: int
    lead_time_days: int | None

    @property
    def image_path(self) -> str:
        return f"{IMAGE_DIR}/{self.upc.lower()}.png"


def all_families() -> list[Family]:
    # Boards come last: the newest products lead the home page.
    return [
        *series.families(),
        *electronics.FAMILIES,
        *equipment.FAMILIES,
        *modules.FAMILIES,
    ]


def stock_level(rng: random.Random, part: Part) -> tuple[int, int | None]:
    """About 70 % in stock, 15 % low (1 to 5), 15 % out of stock ("to order")."""
    roll = rng.random()
    if roll < 0.70:
        most = 2000 if part.price < 1 else 300 if part.price < 20 else 40
        num = rng.randint(6, most)
    elif roll < 0.85:
        num = rng.randint(1, 5)
    else:
        num = 0
    # Out-of-stock parts say how long the supplier takes; some others too.
    lead = rng.choice(LEAD_TIMES) if num == 0 or rng.random() < 0.25 else None
    return num, lead


def catalogue_plan() -> list[Planned]:
    rng = random.Random(SEED)  # noqa: S311 - demo stock levels, not secrets
    plan = []
    for family in all_families():
        for part in family.parts:
            num, lead = stock_level(rng, part)
            plan.append(Planned(f"CPT-{len(plan) + 1:05d}", family, part, num, lead))
    return plan


def background_for(family: Family):
    root = family.category.split(">")[0].strip()
    return next(colour for name, colour, _ in ROOT_CATEGORIES if name == root)


def images_write(plan: list[Planned]) -> int:
    """Draw the pictures that are not on disk yet; return how many were drawn."""
    drawn = 0
    for item in plan:
        if default_storage.exists(item.image_path):
            continue
        png = product_image(
            shape=item.family.shape,
            background=background_for(item.family),
            accent=item.part.accent,
            mpn=item.part.mpn,
            manufacturer=item.part.manufacturer,
        )
        default_storage.save(item.image_path, ContentFile(png))
        drawn += 1
    return drawn


def categories_load(plan: list[Planned]) -> dict[str, object]:
    """Categories by breadcrumb; roots first so the menu keeps the table's order."""
    by_path = {}
    for name, _, description in ROOT_CATEGORIES:
        root = create_from_breadcrumbs(name)
        if not root.description:
            root.description = description
            root.save(update_fields=["description"])
        by_path[name] = root
    for breadcrumb in dict.fromkeys(item.family.category for item in plan):
        by_path[breadcrumb] = create_from_breadcrumbs(breadcrumb)
    return by_path


def classes_load() -> dict[str, tuple[object, dict]]:
    """Product classes by slug, each with its attributes by code."""
    classes = {}
    for slug, (name, attributes) in PRODUCT_CLASSES.items():
        product_class, _ = ProductClass.objects.get_or_create(
            slug=slug, defaults={"name": name, "requires_shipping": True, "track_stock": True}
        )
        by_code = {}
        for code, label in attributes:
            by_code[code], _ = ProductAttribute.objects.get_or_create(
                product_class=product_class, code=code, defaults={"name": label, "type": "text"}
            )
        classes[slug] = (product_class, by_code)
    return classes


def description(item: Planned) -> str:
    # Quotes stay as typed (quote=False) so that searching "d'essai" finds them.
    first, second = (
        escape(text, quote=False)
        for text in (item.part.pitch or item.part.title, item.family.blurb)
    )
    return f"<p>{first}</p>\n<p>{second}</p>"


def products_load(plan, classes) -> dict[str, int]:
    """Create the missing products; return every planned product's pk by UPC."""
    upcs = [item.upc for item in plan]
    existing = set(Product.objects.filter(upc__in=upcs).values_list("upc", flat=True))
    Product.objects.bulk_create(
        Product(
            upc=item.upc,
            title=item.part.title,
            slug=slugify(item.part.title),
            description=description(item),
            manufacturer=item.part.manufacturer,
            mpn=item.part.mpn,
            product_class=classes[item.family.product_class][0],
            structure=Product.STANDALONE,
            is_public=True,
        )
        for item in plan
        if item.upc not in existing
    )
    return dict(Product.objects.filter(upc__in=upcs).values_list("upc", "pk"))


def existing_pairs(model, first: str, second: str, first_in) -> set:
    values = model.objects.filter(**{f"{first}__in": first_in}).values_list(first, second)
    return set(values)


def links_load(plan, pks, categories, classes) -> None:
    """Categories, attribute values and the picture of each product, where missing."""
    product_ids = list(pks.values())
    linked = existing_pairs(ProductCategory, "product_id", "category_id", product_ids)
    ProductCategory.objects.bulk_create(
        ProductCategory(product_id=pks[item.upc], category_id=categories[item.family.category].pk)
        for item in plan
        if (pks[item.upc], categories[item.family.category].pk) not in linked
    )

    valued = existing_pairs(AttributeValue, "product_id", "attribute_id", product_ids)
    values = []
    for item in plan:
        attributes = classes[item.family.product_class][1]
        for code, value in item.part.attrs.items():
            product_id, attribute_id = pks[item.upc], attributes[code].pk
            if (product_id, attribute_id) not in valued:
                values.append(
                    AttributeValue(
                        product_id=product_id, attribute_id=attribute_id, value_text=value
                    )
                )
    AttributeValue.objects.bulk_create(values)

    pictured = set(
        ProductImage.objects.filter(product_id__in=product_ids).values_list("product_id", flat=True)
    )
    ProductImage.objects.bulk_create(
        ProductImage(product_id=pks[item.upc], original=item.image_path, caption=item.part.title)
        for item in plan
        if pks[item.upc] not in pictured
    )


def stock_load(plan, pks) -> None:
    partner, _ = Partner.objects.get_or_create(code="comptoir", defaults={"name": PARTNER})
    stocked = set(
        StockRecord.objects.filter(partner=partner, product_id__in=pks.values()).values_list(
            "product_id", flat=True
        )
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product_id=pks[item.upc],
            partner=partner,
            partner_sku=item.upc,
            price=item.part.price,
            price_currency="EUR",
            num_in_stock=item.num_in_stock,
            lead_time_days=item.lead_time_days,
        )
        for item in plan
        if pks[item.upc] not in stocked
    )


def catalogue_load(plan: list[Planned]) -> dict:
    """Load ``plan`` (its pictures already on disk); return what exists afterwards."""
    categories = categories_load(plan)
    classes = classes_load()
    before = Product.objects.filter(upc__in=[item.upc for item in plan]).count()
    pks = products_load(plan, classes)
    links_load(plan, pks, categories, classes)
    stock_load(plan, pks)
    if use_productcategory_materialised_view():
        # Oscar refreshes this view on each ProductCategory save; bulk_create does not.
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy")
    catalogue_changed()
    return {
        "products": len(pks),
        "products_created": len(pks) - before,
        "categories": len(set(categories.values())),
    }

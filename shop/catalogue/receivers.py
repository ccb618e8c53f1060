"""What each catalogue change invalidates (cache.py's tags), after the commit.

- a product, its pictures and attribute values, its stock records (stock,
  price): that product's tag, so its page and the listings, searches and
  home page that show it; a product saved or deleted also changes which
  products listings and searches find (``products``);
- a product's categories: those categories' listings and their ancestors';
- categories, product classes, attributes and options, partners: the
  menu, breadcrumbs and every page (``catalogue``);
- a basket, its lines or vouchers, a user, their groups and permissions,
  addresses or notifications, an offer or voucher: that visitor's header
  and basket page (``b:``, ``u:``, ``offers``; page_cache.py).

Code that writes with ``QuerySet.update()`` or ``bulk_update`` sends no
signal and calls ``products_changed`` itself (orders/services/stock.py).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from .cache import CATALOGUE, PRODUCTS, cache_tags_touch, category_tags, product_tag
from .page_cache import OFFERS, basket_tag, user_tag

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


def _product(sender, instance, **kwargs):
    cache_tags_touch([product_tag(instance.pk), PRODUCTS])


def _of_product(sender, instance, **kwargs):
    if instance.product_id:
        cache_tags_touch([product_tag(instance.product_id)])


def _membership(sender, instance, **kwargs):
    category = Category.objects.filter(pk=instance.category_id).only("path").first()
    tags = [product_tag(instance.product_id)]
    cache_tags_touch(tags + (category_tags(category.path, Category.steplen) if category else []))


def _categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse or pk_set is None:
        # From the category's side, or a clear: rare, staff edits.
        cache_tags_touch([CATALOGUE, PRODUCTS])
        return
    paths = Category.objects.filter(pk__in=pk_set).values_list("path", flat=True)
    tags = [tag for path in paths for tag in category_tags(path, Category.steplen)]
    cache_tags_touch([product_tag(instance.pk), *tags])


def _structure(sender, **kwargs):
    cache_tags_touch([CATALOGUE, PRODUCTS])


def _connect(receiver, model, name: str) -> None:
    post_save.connect(receiver, sender=model, dispatch_uid=f"catalogue-cache-save-{name}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"catalogue-cache-delete-{name}")


_connect(_product, Product, "Product")
for _name in ("ProductImage", "ProductAttributeValue"):
    _connect(_of_product, get_model("catalogue", _name), _name)
_connect(_of_product, get_model("partner", "StockRecord"), "StockRecord")
_connect(_membership, ProductCategory, "ProductCategory")
for _name in ("Category", "ProductClass", "ProductAttribute", "AttributeOption"):
    _connect(_structure, get_model("catalogue", _name), _name)
_connect(_structure, get_model("partner", "Partner"), "Partner")
m2m_changed.connect(_categories_changed, sender=Product.categories.through, dispatch_uid="cat-m2m")


# --- The visitor's header (page_cache.py: account and basket links) ----------

User = get_user_model()


def _basket(sender, instance, **kwargs):
    cache_tags_touch([basket_tag(instance.pk)])


def _basket_line(sender, instance, **kwargs):
    cache_tags_touch([basket_tag(instance.basket_id)])


def _basket_vouchers(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # from the voucher's side: the offers tag covers its baskets
        cache_tags_touch([OFFERS])
    else:
        cache_tags_touch([basket_tag(instance.pk)])


def _of_user(sender, instance, **kwargs):
    if instance.user_id:
        cache_tags_touch([user_tag(instance.user_id)])


def _user(sender, instance, **kwargs):
    cache_tags_touch([user_tag(instance.pk)])


def _user_m2m(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse:
        cache_tags_touch([user_tag(instance.pk)])


def _notification(sender, instance, **kwargs):
    if instance.recipient_id:
        cache_tags_touch([user_tag(instance.recipient_id)])


def _offers(sender, **kwargs):
    cache_tags_touch([OFFERS])


Basket = get_model("basket", "Basket")
_connect(_basket, Basket, "Basket")
_connect(_basket_line, get_model("basket", "Line"), "BasketLine")
m2m_changed.connect(
    _basket_vouchers, sender=Basket.vouchers.through, dispatch_uid="basket-vouchers"
)
_connect(_of_user, get_model("address", "UserAddress"), "UserAddress")
_connect(_user, User, "User")
for _through in (User.groups.through, User.user_permissions.through):
    m2m_changed.connect(_user_m2m, sender=_through, dispatch_uid=f"visitor-{_through.__name__}")
_connect(_notification, get_model("communication", "Notification"), "Notification")
for _name in ("ConditionalOffer", "Condition", "Benefit", "Range"):
    _connect(_offers, get_model("offer", _name), _name)
_connect(_offers, get_model("voucher", "Voucher"), "Voucher")

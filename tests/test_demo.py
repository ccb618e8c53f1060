"""The demo loader: a realistic catalogue, demo accounts, and nothing new on
a second run."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from oscar.core.loading import get_class, get_model
from PIL import Image

from shop.demo.catalogue import catalogue_plan, images_write
from shop.demo.users import DEMO_USERS

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")
User = get_user_model()

COUNTED = [Product, Category, ProductCategory, ProductAttributeValue, ProductImage, StockRecord]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "User": User.objects.count()
    }


@pytest.mark.django_db
def test_load_demo_builds_the_catalogue_and_accounts_once():
    """Given an empty shop, when load_demo runs twice, then the first run builds
    a full catalogue with stock, pictures and accounts, and the second adds nothing."""
    output = load_demo()

    products = Product.objects.filter(is_public=True, upc__startswith="CPT-")
    assert products.count() >= 300
    assert not products.filter(mpn="").exists()
    assert products.values("mpn").distinct().count() == products.count()
    assert Category.objects.annotate(n=Count("product")).filter(n__gt=0).count() >= 15
    assert Category.objects.filter(depth=2).exists()
    assert not products.filter(categories=None).exists()
    assert not products.filter(attribute_values=None).exists()

    records = StockRecord.objects.filter(product__in=products, partner__name="Comptoir")
    assert records.count() == products.count()
    assert not records.filter(price__isnull=True).exists()
    assert not records.filter(price__lte=0).exists()

    images = ProductImage.objects.filter(product__in=products)
    assert images.values("product").distinct().count() == products.count()
    assert all(default_storage.exists(name) for name in images.values_list("original", flat=True))

    strategy = Selector().strategy()
    codes = {
        strategy.fetch_for_product(p).availability.code
        for p in products.prefetch_related("stockrecords")
    }
    assert codes == {"instock", "lowstock", "toorder"}

    ne555 = Product.objects.get(mpn="NE555P")
    assert ne555.manufacturer == "Texas Instruments"
    assert Product.objects.get(mpn="ATMEGA328P-PU").manufacturer == "Microchip"

    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert user.email == demo.email
        assert user.check_password(demo.password)
        assert (user.is_staff, user.is_superuser) == (demo.is_staff, demo.is_superuser)
        assert demo.email in output
    assert User.objects.filter(is_staff=True, is_superuser=True, username="staff").exists()
    assert Site.objects.get(pk=1).domain == "localhost:8000"

    before = counts()
    load_demo()
    assert counts() == before


@pytest.mark.django_db
def test_load_demo_refuses_to_run_with_debug_off(settings):
    """Given DEBUG off, when load_demo runs without --force, then it stops before
    creating a superuser with a published password."""
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_logins_flags_accounts_not_loaded():
    """Given no demo account, when demo_logins runs, then it lists every login
    and says they still need loading."""
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert all(demo.email in text and demo.password in text for demo in DEMO_USERS)
    assert text.count("not loaded") == len(DEMO_USERS)


def test_pictures_are_small_pngs_written_once(settings, tmp_path):
    """Given an empty media folder, when pictures are written twice, then the
    first pass draws 480x480 PNGs of a few kB and the second draws nothing."""
    settings.MEDIA_ROOT = tmp_path
    plan = catalogue_plan()[::40]  # one of each sort of drawing, roughly

    assert images_write(plan) == len(plan)
    assert images_write(plan) == 0
    for item in plan:
        path = tmp_path / item.image_path
        assert path.stat().st_size < 40_000
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", (480, 480))

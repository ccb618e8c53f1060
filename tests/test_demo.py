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

from billing.models import Document, Payment
from orders.amounts import order_totals
from procurement.models import QuoteRequest, Supplier, SupplierOrder
from shop.customer.models import LegalEntity
from shop.customer.selectors import may_pay_by_mandate
from shop.demo.catalogue import catalogue_plan, images_write
from shop.demo.orders import DEMO_ORDERS
from shop.demo.users import DEMO_USERS

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")
User = get_user_model()

Order = get_model("order", "Order")
COUNTED = [
    Product,
    Category,
    ProductCategory,
    ProductAttributeValue,
    ProductImage,
    StockRecord,
    LegalEntity,
    Order,
    Payment,
    Document,
    Supplier,
    QuoteRequest,
    SupplierOrder,
]


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

    assert_demo_business(User.objects.get(username="staff"))

    before = counts()
    load_demo()
    assert counts() == before


def assert_demo_business(staff):
    """The accounts' organisations, orders, payments, invoices and quote
    requests that make the account pages and the admin worth a look."""
    buyer_entities = LegalEntity.objects.filter(user__username="buyer")
    assert buyer_entities.count() == 2
    for entity in LegalEntity.objects.all():
        entity.full_clean()  # SIRET and VAT numbers with their right keys
    lab = User.objects.get(username="lab")
    institution = LegalEntity.objects.get(user=lab)
    assert institution.is_verified_institution and institution.chorus_service_code
    assert may_pay_by_mandate(lab, institution)

    orders = Order.objects.filter(number__in=[d.number for d in DEMO_ORDERS])
    assert orders.count() == len(DEMO_ORDERS)
    assert {"reserved", "in_progress", "shipped", "delivered", "cancelled"} <= set(
        orders.values_list("status", flat=True)
    )
    # Every order a manager took on (it went in progress) has one; an unpaid
    # transfer cancelled while reserved never reached a manager.
    taken = orders.filter(transitions__to_status="in_progress").distinct()
    assert taken.count() >= 4 and not taken.exclude(manager=staff).exists()
    payments = Payment.objects.filter(order__in=orders, status="succeeded")
    assert payments.count() >= 2
    assert not payments.exclude(provider="").exists()  # refundable without a provider
    shipped = orders.filter(status__in=["shipped", "delivered"])
    assert Document.objects.filter(kind="invoice", order__in=shipped).count() == shipped.count()
    # One money model (issue 10): each order's totals are its lines' by
    # core.money, and its invoice's are the order's, to the cent.
    for order in orders:
        totals = order_totals(order)
        assert (order.total_excl_tax, order.total_incl_tax) == (totals.net, totals.gross)
        for invoice in Document.objects.filter(kind="invoice", order=order):
            assert (invoice.total_excl_tax, invoice.total_vat, invoice.total_incl_tax) == (
                totals.net,
                totals.vat,
                totals.gross,
            )
    assert orders.filter(payment_method="mandate").exclude(purchase_order_number="").exists()

    assert Supplier.objects.count() >= 3
    assert set(QuoteRequest.objects.values_list("state", flat=True)) >= {"submitted", "quoted"}
    sent = QuoteRequest.objects.get(user=lab).quote
    assert sent.number and sent.sent_at and sent.lines.count() == 3
    assert QuoteRequest.objects.get(user=lab).files.filter(line__isnull=False).exists()
    assert all(
        User.objects.get(username=name).addresses.filter(is_default_for_shipping=True).exists()
        for name in ("shopper", "buyer", "lab")
    )
    assert SupplierOrder.objects.filter(state="ordered").exists()


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

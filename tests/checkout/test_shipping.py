"""Delivery methods (shop/shipping): the defaults of the delivery page,
staff's methods and bands from the admin, pickup locations."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class, get_model

from shop.demo.shipping import shipping_load
from shop.shipping.models import DeliveryBand, DeliveryMethod, PickupLocation
from shop.shipping.repository import delivery_methods, delivery_tables_changed
from tests.factories import make_product

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")
pytestmark = pytest.mark.django_db


def basket_of(total_incl_tax: str):
    """A basket of one product whose price incl. VAT is about the total."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    excl = (Decimal(total_incl_tax) / Decimal("1.2")).quantize(Decimal("0.01"))
    basket.add_product(make_product(price=str(excl)), 1)
    return basket


def by_code(methods):
    return {m.code: m for m in methods}


def charge(method, basket):
    return method.calculate(basket).incl_tax


def test_with_empty_tables_the_delivery_page_prices_apply():
    """Given a fresh install, the standard parcel costs 6.90 incl. VAT and is
    free from 100, express costs 14.90, and the shop's counter is offered."""
    methods = delivery_methods()
    codes = [m.code for m in methods]
    assert codes == ["standard", "express", "pickup-shop"]
    standard, express = by_code(methods)["standard"], by_code(methods)["express"]
    assert charge(standard, basket_of("40")) == Decimal("6.90")
    assert charge(standard, basket_of("100.01")) == Decimal("0.00")
    assert charge(express, basket_of("150")) == Decimal("14.90")
    pickup = methods[-1]
    assert pickup.is_pickup and charge(pickup, basket_of("10")) == Decimal("0.00")
    assert settings.COMPTOIR_LEGAL["address"].split(",")[0] in pickup.description


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_defaults_match_the_delivery_page(lang):
    page = (settings.BASE_DIR / "templates" / "pages" / lang / "delivery.html").read_text()
    numbers = set(re.findall(r"\d+[.,]\d\d|\d{3}", page))
    for price in ("6.90", "14.90"):
        assert price in numbers or price.replace(".", ",") in numbers, price
    assert "100" in page


def test_vat_on_shipping_is_split_at_the_standard_rate():
    price = by_code(delivery_methods())["standard"].calculate(basket_of("20"))
    assert (price.incl_tax, price.excl_tax, price.tax) == (
        Decimal("6.90"),
        Decimal("5.75"),
        Decimal("1.15"),
    )


def test_the_demo_seeds_the_defaults_once_and_keeps_staff_edits():
    assert shipping_load() == 3
    DeliveryMethod.objects.filter(code="express").update(price_incl_tax=Decimal("19.90"))
    delivery_tables_changed()  # a bulk update fires no signal
    assert shipping_load() == 0
    methods = by_code(delivery_methods())
    assert charge(methods["express"], basket_of("50")) == Decimal("19.90")
    assert charge(methods["standard"], basket_of("50")) == Decimal("6.90")
    assert sum(m.is_pickup for m in methods.values()) == 1


def test_bands_by_basket_total():
    method = DeliveryMethod.objects.create(code="standard", price_incl_tax=Decimal("6.90"))
    DeliveryBand.objects.create(method=method, up_to=Decimal("30"), price_incl_tax=Decimal("4.90"))
    DeliveryBand.objects.create(method=method, up_to=Decimal("80"), price_incl_tax=Decimal("5.90"))
    standard = by_code(delivery_methods())["standard"]
    assert charge(standard, basket_of("25")) == Decimal("4.90")
    assert charge(standard, basket_of("60")) == Decimal("5.90")
    assert charge(standard, basket_of("90")) == Decimal("5.90")  # top band beyond it


def test_bands_by_weight_use_the_default_weight_without_an_attribute():
    method = DeliveryMethod.objects.create(
        code="heavy",
        label="Freight",
        price_incl_tax=Decimal("30"),
        band_basis="weight",
        default_weight=Decimal("2.5"),
    )
    DeliveryBand.objects.create(method=method, up_to=Decimal("2"), price_incl_tax=Decimal("9"))
    DeliveryBand.objects.create(method=method, up_to=Decimal("5"), price_incl_tax=Decimal("12"))
    heavy = by_code(delivery_methods())["heavy"]
    assert heavy.name == "Freight"
    assert charge(heavy, basket_of("10")) == Decimal("12.00")  # 2.5 kg


def test_switched_off_rows_are_not_offered_and_do_not_bring_defaults_back():
    DeliveryMethod.objects.create(code="express", price_incl_tax=Decimal("14.90"), is_active=False)
    DeliveryMethod.objects.create(code="standard", price_incl_tax=Decimal("6.90"))
    PickupLocation.objects.create(
        name="Lyon", line1="1 rue A", postcode="69001", city="Lyon", opening_hours="9–18"
    )
    PickupLocation.objects.create(
        name="Closed", line1="2 rue B", postcode="69002", city="Lyon", opening_hours="-",
        is_active=False,
    )  # fmt: skip
    codes = [m.code for m in delivery_methods()]
    lyon = PickupLocation.objects.get(name="Lyon")
    assert codes == ["standard", f"pickup-{lyon.pk}"]


def test_pickup_locations_and_methods_are_edited_in_the_admin(admin_client):
    page = admin_client.get("/admin/shipping/pickuplocation/add/")
    assert page.status_code == 200
    assert b'name="opening_hours"' in page.content
    page = admin_client.get("/admin/shipping/deliverymethod/add/")
    assert page.status_code == 200
    assert b'name="free_from_incl_tax"' in page.content
    assert b'name="bands-0-up_to"' in page.content or b"bands-TOTAL_FORMS" in page.content


def test_the_kept_delivery_tables_follow_every_change_in_the_admin():
    """The methods and counters are kept in the cache (no query per checkout
    step); a save or a delete of a method, a band or a counter is seen by
    the next request."""
    method = DeliveryMethod.objects.create(code="standard", price_incl_tax=Decimal("6.90"))
    assert charge(by_code(delivery_methods())["standard"], basket_of("25")) == Decimal("6.90")
    with CaptureQueriesContext(connection) as kept:
        delivery_methods()
    assert len(kept) == 0

    method.price_incl_tax = Decimal("7.90")
    method.save()
    assert charge(by_code(delivery_methods())["standard"], basket_of("25")) == Decimal("7.90")
    band = DeliveryBand.objects.create(
        method=method, up_to=Decimal("30"), price_incl_tax=Decimal("4.90")
    )
    assert charge(by_code(delivery_methods())["standard"], basket_of("25")) == Decimal("4.90")
    band.delete()
    assert charge(by_code(delivery_methods())["standard"], basket_of("25")) == Decimal("7.90")
    counter = PickupLocation.objects.create(
        name="Villeurbanne",
        line1="1 rue Test",
        postcode="69100",
        city="Villeurbanne",
        opening_hours="9-18",
    )
    assert any(getattr(m, "location", None) == counter for m in delivery_methods())
    counter.delete()
    assert not any(getattr(m, "location", None) == counter for m in delivery_methods())

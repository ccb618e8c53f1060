"""A shopper finds a part by its number and puts it in the basket, in a real
browser.

The page elements are found by what does not change with the look or the
language: form actions, input names and product URLs, never button text
(French by default)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import make_product

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(live_server):
    """A small catalogue: the NE555 and a few neighbours, one of which also
    matches "NE555"."""
    ne555 = make_product("Timer NE555", mpn="NE555P", price="0.45", stock=25)
    make_product("Kit de 10 timers NE555", mpn="KIT-NE555-10", price="3.90", stock=4)
    make_product("Régulateur LM7805", mpn="LM7805CT", price="0.60", stock=40)
    make_product("Microcontrôleur ATmega328P", mpn="ATMEGA328P-PU", price="2.80", stock=12)
    return {"ne555": ne555}


def test_search_product_add_to_basket(page, live_server, catalogue, artifacts_dir):
    """Given the shop's home page,
    when a shopper searches NE555, opens the timer and adds it to the basket,
    then the basket page lists it."""
    product = catalogue["ne555"]
    # The shop's own language, whatever an earlier test left active here.
    with translation.override(settings.LANGUAGE_CODE):
        product_url = product.get_absolute_url()
        search_url = reverse("search:search")
        add_url = reverse("basket:add", kwargs={"pk": product.pk})
        basket_url = reverse("basket:summary")

    page.goto(live_server.url + "/")
    search = page.locator(f"form[action='{search_url}'] input[name='q']:visible").first
    search.fill("NE555")
    search.press("Enter")

    page.wait_for_url(f"**{search_url}?*q=NE555*")
    result_link = page.locator(f"a[href='{product_url}']").first
    expect(result_link).to_be_visible()
    result_link.click()

    page.wait_for_url(f"**{product_url}")
    expect(page.get_by_role("heading", name=product.title)).to_be_visible()
    add_form = page.locator(f"form[action='{add_url}']")
    add_form.locator("[type=submit]").click()
    page.wait_for_load_state()

    page.goto(live_server.url + basket_url)
    expect(page.locator(f"a[href='{product_url}']").first).to_be_visible()
    expect(page.locator("body")).to_contain_text(product.title)
    page.screenshot(path=artifacts_dir / "basket.png", full_page=True)

    basket = product.basket_lines.get().basket
    assert basket.num_items == 1

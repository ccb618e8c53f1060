"""The page cached once for every visitor, in Chromium: a signed-in customer
and an anonymous visitor each see their own header on the same cached
category page, in French and English, and the header holds a long name."""

import pytest
from django.test import Client
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Category = get_model("catalogue", "Category")


def test_each_visitor_sees_their_own_header_on_the_shared_page(
    live_server, django_user_model, page, browser, artifacts_dir
):
    category = Category.add_root(name="Temporisateurs", slug="temporisateurs")
    product = make_product("Temporisateur NE555", price="0.45", stock=25)
    product.categories.add(category)
    user = django_user_model.objects.create_user(
        "maximilienne", "max@example.com", "pw", first_name="Maximilienne-Éléonore"
    )
    client = Client()
    client.force_login(user)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    url = live_server.url + category.get_absolute_url()

    # An anonymous visitor first: the page is cached from this visit.
    anonymous = browser.new_page()
    anonymous.goto(url)
    expect(anonymous.locator("#login_link")).to_be_visible()
    expect(anonymous.locator(".basket-link__count")).to_have_text("0")
    anonymous.screenshot(path=str(artifacts_dir / "shared-cache-anonymous-fr.png"))
    anonymous.close()

    page.context.add_cookies(
        [
            {"name": name, "value": client.cookies[name].value, "url": live_server.url}
            for name in ("sessionid",)
        ]
    )
    for language, path, account in (("fr", url, "Mon compte"), ("en", None, "My account")):
        page.goto(path or live_server.url + "/en" + category.get_absolute_url())
        name = page.locator(".header-action__name")
        expect(name).to_have_text("Maximilienne-Éléonore")
        expect(page.locator(".header-action", has=name)).to_contain_text(account)
        expect(page.locator(".basket-link__count")).to_have_text("2")
        expect(page.locator("#logout_link")).to_be_visible()
        expect(page.locator("#login_link")).to_have_count(0)
        # The header's actions stay inside the page, the long name cut short.
        box = page.locator(".site-header__actions").bounding_box()
        assert box["x"] + box["width"] <= page.viewport_size["width"]
        page.screenshot(path=str(artifacts_dir / f"shared-cache-customer-{language}.png"))

"""The return form on a 390 px phone: the item table stacks, the reason
select is full width, nothing scrolls sideways (screenshots in
test-artifacts/)."""

import pytest
from django.test import Client

from tests.browser.test_return_flow import url
from tests.returns.conftest import deliver, transfer_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_return_form_fits_a_phone(live_server, browser, django_user_model, artifacts_dir):
    customer = django_user_model.objects.create_user("alice", "alice@example.com", "pw")
    order = deliver(transfer_order(customer), days_ago=1)
    client = Client()
    client.force_login(customer)
    for width, locale in ((390, "fr-FR"), (1280, "en-GB")):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 844})
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + url("returns:create", order_number=order.number))
        select = page.locator("select[name^=reason-]")
        box = select.bounding_box()
        assert box is not None
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, scroll  # no sideways scrolling
        if width == 390:
            assert box["width"] > 250  # full width, not squashed
        page.screenshot(path=str(artifacts_dir / f"return-form-{width}.png"), full_page=True)
        context.close()

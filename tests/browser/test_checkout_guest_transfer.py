"""A guest checks out in a real browser and pays by bank transfer: every
step of the checkout, the thank-you page with the bank details, and the
confirmation email (the outbox's sweep runs where a worker would)."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from oscar.core.loading import get_model
from playwright.sync_api import expect

from core.outbox.services import messages_send_due
from orders.selectors import order_deadline, order_path
from tests.factories import make_product

Country = get_model("address", "Country")
Order = get_model("order", "Order")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_pays_by_bank_transfer(page, live_server, settings, artifacts_dir):
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 1
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    product = make_product("Oscilloscope DS1054Z", mpn="DS1054Z", price="329.00", stock=4)
    base = live_server.url
    with translation.override(django_settings.LANGUAGE_CODE):
        add_url = reverse("basket:add", kwargs={"pk": product.pk})
        checkout_url = reverse("checkout:index")

    page.goto(base + product.get_absolute_url())
    page.locator(f"form[action='{add_url}'] [type=submit]").click()
    page.wait_for_load_state()

    # Identify: as a guest, with an email (a person takes more than a second).
    page.goto(base + checkout_url)
    page.fill("input[name='username']", "guest@example.com")
    page.locator("input[name='options'][value='anonymous']").check()
    page.wait_for_timeout(1100)
    page.screenshot(path=artifacts_dir / "checkout-1-identify.png", full_page=True)
    page.locator("#gateway_submit").click()

    # Delivery address.
    page.wait_for_selector("#new_shipping_address")
    page.fill("input[name='first_name']", "Léa")
    page.fill("input[name='last_name']", "Garnier")
    page.fill("input[name='line1']", "8 quai Claude Bernard")
    page.fill("input[name='line4']", "Lyon")
    page.fill("input[name='postcode']", "69007")
    page.screenshot(path=artifacts_dir / "checkout-2-address.png", full_page=True)
    page.locator("#new_shipping_address [type=submit]").click()

    # Delivery method: a 394.80 € basket ships free by standard parcel.
    page.wait_for_selector("#shipping_method_form")
    expect(page.locator("input[name='method_code']")).to_have_count(3)
    page.screenshot(path=artifacts_dir / "checkout-3-delivery.png", full_page=True)
    page.locator("#shipping_method_form [type=submit]").click()

    # Billing and payment: the counter is not offered for a delivery.
    page.wait_for_selector("#payment_method_form")
    expect(page.locator("input[name='payment_method'][value='counter']")).to_have_count(0)
    page.locator("#payment-transfer input").check()
    page.screenshot(path=artifacts_dir / "checkout-4-payment.png", full_page=True)
    page.locator("#payment_method_submit").click()

    # Review: the terms must be accepted.
    page.wait_for_selector("#place_order_form")
    expect(page.locator(".review-line")).to_have_count(1)
    expect(page.locator("#review-payment-method")).not_to_be_empty()
    page.screenshot(path=artifacts_dir / "checkout-5-review.png", full_page=True)
    page.locator("input[name='accept_terms']").check()
    page.locator("#place-order").click()

    # Thank-you page with the bank details.
    page.wait_for_selector("#bank-details")
    order = Order.objects.get()
    expect(page.locator("#bank-details")).to_contain_text(django_settings.COMPTOIR_LEGAL["iban"])
    expect(page.locator("#bank-details")).to_contain_text(order.number)
    page.screenshot(path=artifacts_dir / "checkout-6-thank-you.png", full_page=True)
    assert order.payment_method == "transfer"
    assert order.email == "guest@example.com"
    assert order.shipping_incl_tax == 0  # free from 100 €

    # One email, with the bank details, the reference and the deadline.
    messages_send_due()
    emails = [m for m in mail.outbox if order.number in m.subject]
    assert len(emails) == 1, [m.subject for m in mail.outbox]
    body = emails[0].body
    assert emails[0].to == ["guest@example.com"]
    for text in (
        django_settings.COMPTOIR_LEGAL["iban"],
        django_settings.COMPTOIR_LEGAL["bic"],
        order.number,
        "Oscilloscope DS1054Z",
    ):
        assert text in body

    # Unpaid, the order stays the customer's (issue 10): reserved, with one
    # deadline told alike on the thank-you page, in the email and on the
    # order page, where it can still be changed or cancelled.
    order.refresh_from_db()
    assert order.status == "reserved"
    with translation.override(order.language):
        told = date_format(timezone.localtime(order_deadline(order)), "DATETIME_FORMAT")
    assert order.reserved_until == order_deadline(order)
    expect(page.locator("body")).to_contain_text(told)
    assert told in body

    page.goto(base + order_path(order))
    expect(page.locator(".order-status__deadline")).to_contain_text(told)
    expect(page.locator(".order-status .bank-details")).to_contain_text(order.number)
    page.screenshot(path=artifacts_dir / "checkout-7-order-reserved.png", full_page=True)

    # Change it: 2 instead of 1; it is reserved again, one email more.
    page.locator(".order-status__actions a[href*='edit']").click()
    page.locator("input[name^='line-']").fill("2")
    page.locator("form.order-edit [type=submit]").click()
    page.wait_for_selector(".order-status")
    order.refresh_from_db()
    assert (order.status, order.lines.get().quantity) == ("reserved", 2)
    assert order.reserved_until == order_deadline(order)
    expect(page.locator(".order-status__deadline")).to_contain_text(told)
    messages_send_due()
    assert len([m for m in mail.outbox if order.number in m.subject]) == 2

    # Cancel it from the same page.
    page.locator(".order-status__cancel button").click()
    page.wait_for_selector(".order-status__label--cancelled")
    page.screenshot(path=artifacts_dir / "checkout-8-order-cancelled.png", full_page=True)
    order.refresh_from_db()
    assert order.status == "cancelled"

"""A return from request to refund, in headless Chromium: the customer asks
to return an item of a delivered card order, staff accept it in the admin
(with a message), the customer prints the slip and enters the tracking
number, staff receive, inspect and refund: the money goes back to the card
through Stripe (localstripe) and the credit note is in the customer's
documents. Screenshots in French and English land in test-artifacts/."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from billing.models import Payment
from orders.services import transitions as t
from returns.models import Return
from returns.statuses import ReturnStatus
from tests.factories import make_order, make_product
from tests.payments.test_stripe import come_back, open_card_form
from tests.returns.conftest import deliver
from tests.returns.test_views import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def url(name, **kwargs):
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def label(status, language="fr"):
    with translation.override(language):
        return str(ReturnStatus(status).label)


def staff_step(page, base, ret, to, fill=None):
    page.goto(base + url("admin:returns_return_change", object_id=ret.pk))
    page.click(f"a[href$='/step/{to}/']")
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    page.click("input[type=submit]")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_return_from_request_to_card_refund(
    live_server, stripe_env, browser, django_user_model, artifacts_dir
):
    base = live_server.url
    customer = django_user_model.objects.create_user(
        "alice", "alice@example.com", "alice-pw", first_name="Alice", last_name="Martin"
    )
    staff = django_user_model.objects.create_superuser("claire", "claire@comptoir.example", "pw")
    product = make_product("Oscilloscope probe 100 MHz", mpn="PRB-100", price="25.00", stock=5)
    order = make_order(lines=[(product, 2)], user=customer)
    t.order_reserve(order_id=order.pk)
    paying = Client()
    paying.force_login(customer)
    open_card_form(paying, order)
    payment = Payment.objects.get(order=order)
    stripe_env.confirm(payment.provider_id)
    come_back(paying, order, payment.provider_id)
    deliver(order, days_ago=2)

    shopper = signed_in(browser, live_server, customer)
    shopper.goto(base + url("customer:order", order_number=order.number))
    expect(shopper.locator("#return-button")).to_be_visible()
    shopper.screenshot(path=str(artifacts_dir / "return-order-page-fr.png"), full_page=True)
    shopper.click("#return-button")
    line = order.lines.get()
    shopper.select_option(f"#qty-{line.pk}", "1")
    shopper.select_option(f"#reason-{line.pk}", "not_as_described")
    shopper.fill("#comment", "La sonde est en 10 MHz, pas 100 MHz.")
    shopper.screenshot(path=str(artifacts_dir / "return-form-fr.png"), full_page=True)
    shopper.click("#return-form button[type=submit]")
    expect(shopper.locator("#return-status")).to_contain_text(label("requested"))
    ret = Return.objects.get()

    admin = signed_in(browser, live_server, staff)
    staff_step(admin, base, ret, "accepted", {"#id_message": "Accepté : renvoyez la sonde."})
    admin.goto(base + url("admin:returns_return_change", object_id=ret.pk))
    admin.screenshot(path=str(artifacts_dir / "return-admin-fr.png"), full_page=True)

    shopper.goto(base + url("returns:detail", pk=ret.pk))
    expect(shopper.locator("#slip-link")).to_be_visible()
    slip = shopper.request.get(base + url("returns:slip", pk=ret.pk))
    assert slip.headers["content-type"] == "application/pdf"
    (artifacts_dir / "return-slip.pdf").write_bytes(slip.body())
    shopper.fill("#id_carrier", "Colissimo")
    shopper.fill("#id_tracking_number", "6A12345678901")
    shopper.click("#tracking-form button[type=submit]")
    expect(shopper.locator("#return-status")).to_contain_text(label("in_transit"))
    shopper.screenshot(path=str(artifacts_dir / "return-detail-fr.png"), full_page=True)

    staff_step(admin, base, ret, "received")
    staff_step(admin, base, ret, "inspected")
    staff_step(admin, base, ret, "refunded")
    ret.refresh_from_db()
    assert ret.status == "refunded" and ret.refund_amount == 30
    assert [r.amount for r in stripe_env.client.v1.refunds.list().data] == [3000]

    shopper.goto(base + url("returns:detail", pk=ret.pk))
    expect(shopper.locator("#refund-deadline")).to_contain_text(ret.credit_note.number)
    shopper.screenshot(path=str(artifacts_dir / "return-refunded-fr.png"), full_page=True)
    shopper.goto(base + "/en" + url("returns:detail", pk=ret.pk))
    expect(shopper.locator("#return-status")).to_contain_text(label("refunded", "en"))
    shopper.screenshot(path=str(artifacts_dir / "return-refunded-en.png"), full_page=True)
    shopper.goto(base + url("billing:documents"))
    expect(shopper.locator("body")).to_contain_text(ret.credit_note.number)
    shopper.goto(base + url("returns:list"))
    shopper.screenshot(path=str(artifacts_dir / "return-list-fr.png"), full_page=True)
    shopper.goto(base + "/en" + url("returns:list"))
    shopper.screenshot(path=str(artifacts_dir / "return-list-en.png"), full_page=True)

    # The same delivery, one probe arrived broken: a claim with a photo.
    shopper.goto(base + url("customer:order", order_number=order.number))
    shopper.click(f"a[href$='/claims/new/{order.number}/']")
    shopper.select_option("#id_kind", "damaged")
    shopper.fill("#id_description", "Le câble de la sonde est coupé.")
    shopper.select_option(f"#qty-{line.pk}", "1")
    photo = artifacts_dir / "claim-photo.png"
    photo.write_bytes(png())
    shopper.set_input_files("#id_photos", str(photo))
    shopper.screenshot(path=str(artifacts_dir / "claim-form-fr.png"), full_page=True)
    shopper.click("#claim-form button[type=submit]")
    expect(shopper.locator(".thread__files a")).to_have_count(1)
    shopper.screenshot(path=str(artifacts_dir / "claim-detail-fr.png"), full_page=True)
    shopper.goto(base + "/en" + shopper.url.removeprefix(base))
    shopper.screenshot(path=str(artifacts_dir / "claim-detail-en.png"), full_page=True)

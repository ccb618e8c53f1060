"""No 500 for what a client can send (issue 12, item 1): the cases found
by probing the shop, each answered where it belongs."""

import hashlib
import hmac
import json
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from shop.customer.models import LegalEntity
from tests.checkout.conftest import add_to_basket
from tests.factories import make_product

pytestmark = pytest.mark.django_db

ENTITY = {
    "kind": "company",
    "name": "Atelier Martin",
    "siret": "",
    "line1": "1 rue de la Gare",
    "postcode": "69007",
    "city": "Lyon",
    "country": "FR",
    "chorus_service_code": "",
}


@pytest.mark.parametrize("number", ["44732829320", "12", "XX1234", "FR", "??"])
def test_a_vat_number_without_its_country_prefix_is_a_form_error(client, customer, number):
    """Given the organisation form, when the VAT number lacks its country
    prefix (python-stdnum's compact() raised), then the form says so."""
    client.force_login(customer)
    response = client.post(reverse("entities:add"), {**ENTITY, "vat_number": number})
    assert response.status_code == 200
    assert "country code" in response.content.decode() or "not valid" in (response.content.decode())
    assert not LegalEntity.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/%00/",
        "/en/catalogue/abc%00def_1/",
        "/search/?q=%00",
        "/?q=ne555%00",
        "/orders/AB%0012/",
        "/quotes/%00/",
        "/billing/orders/1%00/pay/",
        "/accounts/login/?next=%00",
        "/basket/?page=%00",
        "/media/images/%00.png",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_400_with_the_shop_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be understood" in page or "comprise" in page
    assert "comptoir.css" in page


def test_a_nul_byte_in_a_form_field_cookie_or_header_is_a_400(client, customer):
    login = reverse("customer:login")
    form = "application/x-www-form-urlencoded"
    bad_value, bad_name = "login-username=a%00b&login-password=x", "login-user%00name=a"
    assert client.post(login, bad_value, content_type=form).status_code == 400
    assert client.post(login, bad_name, content_type=form).status_code == 400
    # A multipart form is the form's to refuse (NUL is a field error there).
    multipart = client.post(login, {"login-username": "a\x00b", "login_submit": "1"})
    assert multipart.status_code == 200
    assert "Null characters are not allowed" in multipart.content.decode()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400
    del client.cookies["sessionid"]
    assert client.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4\x00").status_code == 400
    # And the guard lets the ordinary through.
    assert client.get("/").status_code == 200


def signed(body: str, secret: str) -> str:
    ts = int(time.time())
    digest = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


SECRET = "whsec_test_hostile"


@pytest.mark.parametrize(
    "event",
    [
        [],
        "a string",
        None,
        42,
        {},
        {"id": "evt_1"},
        {"id": 5, "type": ["payment_intent.succeeded"]},
        {"id": "evt_2", "type": "payment_intent.succeeded"},
        {"id": "evt_3", "type": "payment_intent.succeeded", "data": None},
        {"id": "evt_4", "type": "payment_intent.succeeded", "data": {"object": "x"}},
        {"id": "evt_5", "type": "payment_intent.succeeded", "data": {"object": {}}},
        {
            "id": "evt_6",
            "type": "payment_intent.succeeded",
            "data": {"object": {"object": "payment_intent", "id": "pi_1", "amount": "12"}},
        },
        {
            "id": "evt_7",
            "type": "payment_intent.payment_failed",
            "data": {"object": {"object": "payment_intent", "id": "pi_2", "amount": 1e300}},
        },
        {
            "id": "evt_8",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "object": "payment_intent",
                    "id": "pi_3",
                    "amount": 1200,
                    "currency": 12,
                    "status": ["succeeded"],
                    "metadata": "order 1",
                }
            },
        },
    ],
)
@override_settings(STRIPE_WEBHOOK_SECRET=SECRET)
def test_a_signed_stripe_webhook_of_the_wrong_shape_is_refused_not_a_500(client, event):
    body = json.dumps(event)
    response = client.post(
        "/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed(body, SECRET),
    )
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "management",
    [
        {},
        {"form-TOTAL_FORMS": "abc", "form-INITIAL_FORMS": "0"},
        {"form-TOTAL_FORMS": "99999999", "form-INITIAL_FORMS": "99999999"},
        {"form-TOTAL_FORMS": "-1", "form-INITIAL_FORMS": "-5"},
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": "abc"},
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": "999999"},
        {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-1-quantity": "1"},
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-quantity": "-3"},
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-DELETE": "on"},
    ],
)
def test_a_tampered_basket_formset_is_answered_without_a_500(client, management):
    """Given a basket, when its formset's management form (or a line id) is
    forged, then the basket page answers (a message, a redirect), not a 500."""
    add_to_basket(client, make_product(stock=5))
    response = client.post(reverse("basket:summary"), management)
    assert response.status_code in (200, 302, 400)
    assert client.get(reverse("basket:summary")).status_code == 200


def test_a_forged_id_in_a_staff_screen_is_a_logged_400(client, staff, caplog):
    """Oscar's dashboard trusts the ids its user list posts; a forged one
    was a ValueError (500). The staff-area net answers 400 and logs it."""
    client.force_login(staff)
    response = client.post("/dashboard/users/", {"action": "make_active", "selected_user": ["abc"]})
    assert response.status_code == 400
    assert "Forged input in a staff screen" in caplog.text


def test_the_staff_area_net_leaves_the_shop_alone(client, customer):
    """Outside the staff screens a ValueError is still a server error: our
    own views must answer properly, which the fuzz tests check."""
    from django.test import RequestFactory

    from core.http_guard import StaffAreaForgedIdMiddleware

    net = StaffAreaForgedIdMiddleware(lambda request: None)
    assert net.process_exception(RequestFactory().get("/accounts/"), ValueError()) is None
    assert net.process_exception(RequestFactory().get("/en/admin/x/"), ValueError()) is not None
    assert net.process_exception(RequestFactory().get("/admin/x/"), KeyError()) is None


def test_a_wish_list_for_a_product_that_does_not_exist_is_not_a_500(client, customer):
    """Found by the fuzz test: Oscar 4.2 redirects to an unnamespaced URL
    name when the product is missing (NoReverseMatch). The customer is sent
    to the plain wish-list form with a message."""
    client.force_login(customer)
    url = reverse("customer:wishlists-create-with-product", kwargs={"product_pk": 999999})

    response = client.post(url, {"name": "Spares"})

    assert response.status_code == 302
    assert response["Location"] == reverse("customer:wishlists-create")

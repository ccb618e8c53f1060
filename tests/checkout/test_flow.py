"""The checkout's steps, from the basket to the thank-you page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from oscar.core.loading import get_model

from tests.factories import make_product

from .conftest import add_to_basket, place, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def test_a_guest_checks_out_with_bank_transfer(client, france):
    """Given a basket of 2 × 10 € (excl. VAT), when a guest goes through the
    steps with standard delivery and bank transfer, then the review shows
    every figure, and placing makes one order with the choices and consent."""
    add_to_basket(client, make_product("Timer NE555", price="10.00", stock=9), 2)

    review = to_review(client)

    page = review.content.decode()
    assert review.status_code == 200
    assert "Timer NE555" in page
    assert "24.00" in page.replace(",", ".")  # 2 × 12.00 incl. VAT
    assert "6.90" in page.replace(",", ".")  # standard delivery
    assert "Bank transfer" in page
    assert reverse("page", kwargs={"slug": "terms"}) in page

    response = place(client)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("checkout:thank-you")
    assert order.email == "guest@example.com"
    assert order.payment_method == "transfer"
    assert order.terms_version == settings.COMPTOIR_TERMS_VERSION
    assert order.terms_accepted_at is not None
    assert order.total_incl_tax == Decimal("30.90")
    assert order.shipping_code == "standard"
    assert order.billing_address.line1 == "3 rue des Lilas"

    thanks = client.get(response.url).content.decode()
    assert order.number in thanks
    assert settings.COMPTOIR_LEGAL["iban"] in thanks
    # One deadline (issue 10): the items are held as long as the transfer
    # window, and the page says that one date, twice.
    assert order.status == "reserved"
    assert order.reserved_until == order.date_placed + timedelta(
        days=settings.COMPTOIR_TRANSFER_CANCEL_DAYS
    )
    told = date_format(timezone.localtime(order.reserved_until), "DATETIME_FORMAT")
    assert "items held for you until " + told in thanks
    assert "must reach us by <strong>" + told in thanks


def test_the_identify_step_lets_a_returning_customer_sign_in(client, france, django_user_model):
    django_user_model.objects.create_user("sam", "sam@example.com", "sam-password-42")
    add_to_basket(client, make_product(stock=3))
    from .conftest import gateway_guest

    response = client.post(
        reverse("checkout:index"),
        gateway_guest("sam@example.com", options="existing", password="sam-password-42"),
    )
    assert response.status_code == 302
    assert response.url == reverse("checkout:shipping-address")
    assert client.session["_auth_user_id"]


def test_the_identify_step_sends_a_new_customer_to_registration(client, france):
    from .conftest import gateway_guest

    add_to_basket(client, make_product(stock=3))
    response = client.post(
        reverse("checkout:index"), gateway_guest("new@example.com", options="new")
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("customer:register"))


def test_steps_cannot_be_skipped(client, france):
    add_to_basket(client, make_product(stock=3))
    response = client.get(reverse("checkout:preview"))
    assert response.status_code == 302 and response.url == reverse("checkout:index")


def test_the_review_requires_a_payment_choice(client, france):
    from .conftest import ADDRESS, gateway_guest

    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:index"), gateway_guest())
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    response = client.get(reverse("checkout:preview"))
    assert response.status_code == 302
    assert response.url == reverse("checkout:payment-method")


def test_the_terms_of_sale_must_be_accepted(client, france):
    add_to_basket(client, make_product(stock=3))
    to_review(client)
    response = place(client, accept=False)
    assert response.status_code == 200
    assert "Please accept the terms of sale" in response.content.decode()
    assert not Order.objects.exists()


def test_a_separate_billing_address(client, france):
    from .conftest import ADDRESS, gateway_guest

    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:index"), gateway_guest())
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "express"})
    billing = {f"billing-{k}": v for k, v in ADDRESS.items()} | {
        "billing-line1": "1 place Bellecour"
    }
    response = client.post(
        reverse("checkout:payment-method"), {"payment_method": "cheque", **billing}
    )
    assert response.status_code == 302
    place(client)
    order = Order.objects.get()
    assert order.billing_address.line1 == "1 place Bellecour"
    assert order.shipping_address.line1 == "3 rue des Lilas"
    assert order.shipping_code == "express" and order.shipping_incl_tax == Decimal("14.90")


def test_an_incomplete_billing_address_is_asked_again(client, france):
    from .conftest import ADDRESS, gateway_guest

    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:index"), gateway_guest())
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    response = client.post(
        reverse("checkout:payment-method"), {"payment_method": "cheque", "billing-line1": "x"}
    )
    assert response.status_code == 200
    assert response.context["billing_form"].errors


@pytest.mark.parametrize("payment", ["card", "paypal"])
def test_online_payments_go_to_the_payment_page(client, france, payment):
    add_to_basket(client, make_product(stock=3))
    to_review(client, payment=payment)
    response = place(client)
    order = Order.objects.get()
    assert response.url == reverse("billing:pay", kwargs={"number": order.number})
    assert order.payment_method == payment
    # The guest who just placed it may pay it (billing's page sends them on
    # to the configured provider's step).
    pay = client.get(response.url)
    assert pay.status_code == 302 and pay.url.endswith(
        f"/pay/{'stripe' if payment == 'card' else 'paypal'}/"
    )

import time

import pytest
from django.core import signing

from core import antibot
from tests.fixtures import english_messages, online_providers_configured  # noqa: F401


def old_stamp(seconds: float = 30) -> str:
    """A form stamp as if the form was shown ``seconds`` ago."""
    value = str(int((time.time() - seconds) * 1000))  # milliseconds, as sign_now()
    return signing.Signer(salt=antibot._SALT).sign(value)


def add_to_basket(client, product, quantity=1):
    from django.urls import reverse

    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302, response.content[:500]


def gateway_guest(email="guest@example.com", stamp=None, **extra):
    return {
        "username": email,
        "options": "anonymous",
        "password": "",
        "website": "",
        "form_ts": stamp or old_stamp(),
        **extra,
    }


ADDRESS = {
    "first_name": "Alice",
    "last_name": "Martin",
    "line1": "3 rue des Lilas",
    "line4": "Lyon",
    "postcode": "69003",
    "country": "FR",
}


@pytest.fixture
def france(db):
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    country, _ = Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    return country


def to_review(
    client, *, method="standard", payment="transfer", guest="guest@example.com", **payment_fields
):
    """Go through the steps up to the review page; returns its response."""
    from django.urls import reverse

    if guest:
        response = client.post(reverse("checkout:index"), gateway_guest(guest))
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.content.decode()[:3000]
    if method.startswith("pickup"):
        from shop.shipping.repository import delivery_methods

        method = next(m.code for m in delivery_methods() if m.is_pickup)
    response = client.post(reverse("checkout:shipping-method"), {"method_code": method})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("checkout:payment-method"),
        {"payment_method": payment, "billing_same_as_shipping": "on", **payment_fields},
    )
    assert response.status_code == 302, response.content.decode()[:5000]
    assert response.url == reverse("checkout:preview")
    return client.get(reverse("checkout:preview"))


def reviewed(client) -> dict:
    """What the review page's form carries: the basket and the total shown."""
    from django.urls import reverse

    context = client.get(reverse("checkout:preview")).context
    return {"basket_id": context["basket"].pk, "total": context["order_total"].incl_tax}


def place(client, basket_id=None, accept=True, total=None):
    from django.urls import reverse

    if basket_id is None:
        basket_id, total = reviewed(client).values()
    data = {"action": "place_order", "basket_id": basket_id, "total": total or ""}
    if accept:
        data["accept_terms"] = "on"
    return client.post(reverse("checkout:preview"), data)

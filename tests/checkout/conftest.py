import time

import pytest
from django.core import signing

from shop import antibot


def old_stamp(seconds: int = 30) -> str:
    """A form stamp as if the form was shown ``seconds`` ago."""
    value = str(int(time.time()) - seconds)
    return signing.Signer(salt=antibot._SALT).sign(value)


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


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

"""The admin index: the shop's name, no Oscar models Comptoir does not use."""

import pytest
from django.contrib import admin
from django.urls import reverse
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db


def test_admin_index_is_branded_and_without_unused_oscar_models(admin_client, settings):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f"{settings.OSCAR_SHOP_NAME} administration" in html
    assert "Django administration" not in html
    for model in (get_model("payment", "Bankcard"), get_model("wishlists", "WishList")):
        assert not admin.site.is_registered(model)
    assert "Stock (Oscar partners)" in html

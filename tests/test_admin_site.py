"""The admin index: the shop's name, no Oscar models Comptoir does not use."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db


def test_admin_index_is_branded_and_without_unused_oscar_models(admin_client, settings):
    # The admin speaks the shop's language (French by default).
    html = admin_client.get(reverse("admin:index")).content.decode()
    with translation.override(settings.LANGUAGE_CODE):
        header = gettext("{shop} administration").format(shop=settings.OSCAR_SHOP_NAME)
        django_header = gettext("Django administration")
        partner = gettext("Stock (Oscar partners)")
    assert header in html
    assert django_header not in html
    for model in (get_model("payment", "Bankcard"), get_model("wishlists", "WishList")):
        assert not admin.site.is_registered(model)
    assert partner in html

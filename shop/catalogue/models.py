from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    manufacturer = models.CharField(_("manufacturer"), max_length=128, blank=True)
    # The reference customers type in the search box ("NE555", "ATmega328P").
    mpn = models.CharField(_("manufacturer part number"), max_length=64, blank=True, db_index=True)

    class Meta(AbstractProduct.Meta):
        pass


from oscar.apps.catalogue.models import *  # noqa: E402,F403

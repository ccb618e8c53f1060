from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    manufacturer = models.CharField(_("manufacturer"), max_length=128, blank=True)
    # The reference customers type in the search box ("NE555", "ATmega328P").
    mpn = models.CharField(_("manufacturer part number"), max_length=64, blank=True, db_index=True)

    class ReturnExclusion(models.TextChoices):
        """Goods the terms of sale exclude from returns (unless defective)."""

        NONE = "", _("returnable")
        SOFTWARE = "software", _("activated software")
        CUSTOM = "custom", _("custom-sourced item")

    # Read by the returns rules (returns.selectors): why a line may not be returned.
    return_exclusion = models.CharField(
        _("excluded from returns"),
        max_length=16,
        blank=True,
        choices=ReturnExclusion.choices,
        default=ReturnExclusion.NONE,
    )

    class Meta(AbstractProduct.Meta):
        pass


from oscar.apps.catalogue.models import *  # noqa: E402,F403

from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for French VAT and "to order" availability."""

    name = "shop.partner"
    # Not "Partner": beside procurement's suppliers, staff must tell them apart.
    verbose_name = _("Stock (Oscar partners)")

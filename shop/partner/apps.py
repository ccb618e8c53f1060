from oscar.apps.partner import apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for French VAT and "to order" availability."""

    name = "shop.partner"

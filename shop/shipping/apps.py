from oscar.apps.shipping import apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, forked: Comptoir's delivery methods (standard
    parcel, express, priced by basket total or weight with a free-shipping
    threshold) and pickup at the shop's counters, all edited in the admin."""

    name = "shop.shipping"

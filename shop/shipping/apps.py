from oscar.apps.shipping import apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, forked: Comptoir's delivery methods (standard
    parcel, express, priced by basket total or weight with a free-shipping
    threshold) and pickup at the shop's counters, all edited in the admin."""

    name = "shop.shipping"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from .models import DeliveryBand, DeliveryMethod, PickupLocation
        from .repository import delivery_tables_changed

        # The kept delivery tables (repository.delivery_tables) are cleared
        # by any change to them.
        for model in (DeliveryMethod, DeliveryBand, PickupLocation):
            for signal in (post_save, post_delete):
                signal.connect(
                    delivery_tables_changed,
                    sender=model,
                    dispatch_uid=f"comptoir.shipping.tables.{model.__name__}.{signal is post_save}",
                )

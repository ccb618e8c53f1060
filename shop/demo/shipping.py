"""Demo delivery methods and the shop's counter, as the delivery page says."""

from django.conf import settings

from shop.shipping.models import DeliveryMethod, PickupLocation
from shop.shipping.repository import (
    DEFAULT_EXPRESS_PRICE,
    DEFAULT_FREE_FROM,
    DEFAULT_STANDARD_PRICE,
    default_pickup_location,
)


def shipping_load() -> int:
    """Create what is missing (staff's later edits are kept); return how many."""
    created = 0
    for position, (code, price, free_from) in enumerate(
        [
            ("standard", DEFAULT_STANDARD_PRICE, DEFAULT_FREE_FROM),
            ("express", DEFAULT_EXPRESS_PRICE, None),
        ]
    ):
        _method, made = DeliveryMethod.objects.get_or_create(
            code=code,
            defaults={
                "price_incl_tax": price,
                "free_from_incl_tax": free_from,
                "position": position,
            },
        )
        created += made
    if not PickupLocation.objects.exists():
        counter = default_pickup_location()
        counter.name = "Comptoir Lyon"
        counter.opening_hours = f"Lun.–ven. {settings.COMPTOIR_LEGAL['hours']}"
        counter.instructions = "Présentez l'e-mail « commande prête » et une pièce d'identité."
        counter.save()
        created += 1
    return created

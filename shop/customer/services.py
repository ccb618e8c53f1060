"""Writes on the account's legal entities."""

from django.db import transaction

from .models import LegalEntity

# Changing any of these makes the entity a different one: staff check again.
IDENTITY_FIELDS = ("kind", "name", "siret")


def legal_entity_save(*, user, entity: LegalEntity) -> LegalEntity:
    """Save a customer's entity (new or edited). Editing what staff verified
    (kind, name, SIRET) withdraws the verification until they check again."""
    with transaction.atomic():
        entity.user = user
        stored = (
            LegalEntity.objects.select_for_update().filter(pk=entity.pk, user=user).first()
            if entity.pk
            else None
        )
        if stored is not None:
            entity.verified_at, entity.verified_by = stored.verified_at, stored.verified_by
            if stored.verified_at and any(
                getattr(stored, name) != getattr(entity, name) for name in IDENTITY_FIELDS
            ):
                entity.verified_at = entity.verified_by = None
        entity.save()
    return entity

def customer_profile(user):
    """The account's profile, or None (guests, or accounts made before profiles)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.profile
    except user._meta.model.profile.RelatedObjectDoesNotExist:
        return None


def legal_entities_for(user):
    """The entities an account may buy for (none for guests)."""
    from .models import LegalEntity

    if user is None or not user.is_authenticated:
        return LegalEntity.objects.none()
    return LegalEntity.objects.filter(user=user)


def may_pay_by_mandate(user, entity) -> bool:
    """Administrative mandate: only for a verified public institution of
    this very account (a forged entity id of another account is refused)."""
    return bool(
        entity is not None
        and user is not None
        and user.is_authenticated
        and entity.user_id == user.pk
        and entity.is_verified_institution
    )

def customer_profile(user):
    """The account's profile, or None (guests, or accounts made before profiles)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.profile
    except user._meta.model.profile.RelatedObjectDoesNotExist:
        return None

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register

REQUIRED_LEGAL_FIELDS = ("name", "address", "siret", "vat_number", "email")


@register()
def legal_identity_check(app_configs, **kwargs):
    """Every page footer and document prints the shop's legal identity: a
    missing field is a configuration error at start, not a broken page."""
    legal = getattr(settings, "COMPTOIR_LEGAL", {})
    return [
        Error(
            f"COMPTOIR_LEGAL['{field}'] is empty.",
            hint="Set it from the environment (see README, 'Configuration').",
            id="comptoir.E001",
        )
        for field in REQUIRED_LEGAL_FIELDS
        if not legal.get(field)
    ]


@register(Tags.security, deploy=True)
def default_manager_check(app_configs, **kwargs):
    """Without it, the first staff account (often the owner's superuser) is
    shown to every customer as their personal manager."""
    if settings.COMPTOIR_DEFAULT_MANAGER_USERNAME:
        return []
    return [
        checks.Warning(
            "COMPTOIR_DEFAULT_MANAGER_USERNAME is not set.",
            hint="Name the staff account that handles orders when a customer has no manager.",
            id="comptoir.W001",
        )
    ]

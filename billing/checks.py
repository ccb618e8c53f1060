"""Start-up checks: documents print the shop's full legal identity, so a
missing field is a configuration error at start, not a broken PDF."""

from django.conf import settings
from django.core.checks import Error, register

from billing.documents.data import REQUIRED_LEGAL_FIELDS
from billing.documents.rendering import FONTS_DIR

# What an invoice must carry (French Commercial Code, art. R123-237 and
# L441-9), with the bank details for those paying by transfer.
DOCUMENT_LEGAL_FIELDS = REQUIRED_LEGAL_FIELDS
FONTS = ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")


@register()
def documents_legal_identity_check(app_configs, **kwargs):
    legal = getattr(settings, "COMPTOIR_LEGAL", {})
    errors = [
        Error(
            f"COMPTOIR_LEGAL['{field}'] is empty: business documents cannot be issued.",
            hint="Set it from the environment (see .env.example, 'The shop').",
            id="billing.E001",
        )
        for field in DOCUMENT_LEGAL_FIELDS
        if not legal.get(field)
    ]
    errors += [
        Error(
            f"The document font {name} is missing from {FONTS_DIR}.",
            hint="It ships with the project: restore it from the repository.",
            id="billing.E002",
        )
        for name in FONTS
        if not (FONTS_DIR / name).is_file()
    ]
    return errors

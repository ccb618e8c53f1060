from django.conf import settings

from shop.views import PAGES


def shop(request):
    """What every page's header and footer print: the shop's legal identity,
    the version of the terms of sale, and the footer pages."""
    return {
        "legal": settings.COMPTOIR_LEGAL,
        "terms_version": settings.COMPTOIR_TERMS_VERSION,
        "footer_pages": list(PAGES.items()),
    }

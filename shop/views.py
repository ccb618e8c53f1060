from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

# The footer's pages. Legal texts are long, so each has one template per
# language rather than one entry per sentence in the message catalogue.
PAGES = {
    "terms": _("Terms of sale"),
    "legal-notice": _("Legal notice"),
    "privacy": _("Privacy"),
    "delivery": _("Delivery"),
    "returns": _("Returns"),
    "contact": _("Contact"),
}


def page(request, slug):
    if slug not in PAGES:
        raise Http404
    language = "en" if get_language() == "en" else "fr"
    return render(
        request,
        [f"pages/{language}/{slug}.html", f"pages/fr/{slug}.html"],
        {"page_title": PAGES[slug], "slug": slug},
    )


def ping(request):
    """A view that does nothing: the throughput ceiling in bench/."""
    return HttpResponse("pong", content_type="text/plain")


@never_cache
def healthz(request):
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")

import posixpath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.static import serve

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


def not_found(request, *args, **kwargs):
    """A 404 for routes whose own view would choke on the argument."""
    raise Http404


def favicon(request):
    """/favicon.ico, which browsers and the admin's pages ask for whatever
    the page links: the shop's icon (redirected, not permanently: its static name
    changes with it)."""
    return redirect(static("img/favicon.ico"))


def ping(request):
    """A view that does nothing: the throughput ceiling in bench/."""
    return HttpResponse("pong", content_type="text/plain")


# Product pictures and their thumbnails; anything else under MEDIA_ROOT
# (customers' files, documents) is served only by views that check access.
PUBLIC_MEDIA = ("images/", "cache/")


def public_media(request, path):
    """Product pictures, from gunicorn when no proxy serves /media/."""
    path = posixpath.normpath(path).lstrip("/")  # "images/../x" is "x"
    if not path.startswith(PUBLIC_MEDIA):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def healthz(request):
    """Liveness for the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")

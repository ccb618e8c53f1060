"""django-anymail's webhooks of the providers in COMPTOIR_EMAIL_WEBHOOK_PROVIDERS
(/webhooks/email/<provider>/inbound/ and .../tracking/). A provider whose
keys are missing answers 404 (and logs the error) rather than a server
error. Each may read a JSON body up to COMPTOIR_INBOUND_MAX_BYTES:
Postmark posts an email and its attachments base64-encoded in one JSON
document, which Django's DATA_UPLOAD_MAX_MEMORY_SIZE (meant for forms) would
refuse whole; this way an oversized attachment is refused on its own
(conversations.services.inbound) and the rest of the email is kept."""

import functools
import logging
from io import BytesIO

from anymail import urls as anymail_urls
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import URLPattern

app_name = "anymail"
logger = logging.getLogger(__name__)


def _roomy(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if (
            request.method == "POST"
            and request.content_type == "application/json"
            and 0 < length <= settings.COMPTOIR_INBOUND_MAX_BYTES
        ):
            # What HttpRequest.body does, without the forms' size cap.
            request._body = request.read(length)
            request._stream = BytesIO(request._body)
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured as exc:
            logger.error("Email webhook %s is not configured: %s", request.path, exc)
            raise Http404 from exc

    return wrapper


def _provider(pattern: URLPattern) -> str:
    return (pattern.name or "").split("_inbound")[0].split("_tracking")[0].split("_webhook")[0]


urlpatterns = [
    URLPattern(pattern.pattern, _roomy(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
    if _provider(pattern) in settings.COMPTOIR_EMAIL_WEBHOOK_PROVIDERS
]

"""django-anymail's webhooks (/webhooks/email/<provider>/inbound/ and the
tracking ones), each let read a JSON body up to COMPTOIR_INBOUND_MAX_BYTES:
Postmark posts an email and its attachments base64-encoded in one JSON
document, which Django's DATA_UPLOAD_MAX_MEMORY_SIZE (meant for forms) would
refuse whole; this way an oversized attachment is refused on its own
(conversations.services.inbound) and the rest of the email is kept."""

import functools
from io import BytesIO

from anymail import urls as anymail_urls
from django.conf import settings
from django.urls import URLPattern

app_name = "anymail"


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
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = [
    URLPattern(pattern.pattern, _roomy(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]

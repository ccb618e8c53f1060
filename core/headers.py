"""Response headers the security middleware of Django does not set.

- ``Permissions-Policy``: the browser features the shop never uses
  (``COMPTOIR_PERMISSIONS_POLICY``);
- ``Cache-Control: private, no-store`` on pages about one person (account,
  checkout, basket, documents, pay page: ``COMPTOIR_NO_STORE_PATHS``, with
  or without the language prefix), so that neither the browser's history
  nor a shared proxy keeps them.
"""

from collections.abc import Callable, Iterable, Mapping

from csp.constants import NONE
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control


def _without_language(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def is_private_path(path: str) -> bool:
    path = _without_language(path)
    return path.startswith(tuple(settings.COMPTOIR_NO_STORE_PATHS))


def private_no_store(response: HttpResponseBase) -> None:
    """Says that no cache, the browser's included, may keep the response."""
    if "Cache-Control" in response:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)


def csp_allow(response: HttpResponseBase, sources: Mapping[str, Iterable[str]]) -> None:
    """Adds ``sources`` (e.g. ``{"script-src": ["https://js.stripe.com"]}``)
    to the Content-Security-Policy of this response only, enforced and
    report-only alike: django-csp's per-view override (``csp_replace``),
    for sources known only when the view runs. A directive that was
    ``'none'`` becomes just the sources ('none' beside them is ignored)."""
    for setting, attribute in (
        ("CONTENT_SECURITY_POLICY", "_csp_replace"),
        ("CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_replace_ro"),
    ):
        base = (getattr(settings, setting, None) or {}).get("DIRECTIVES", {})
        if not base or not sources:
            continue
        setattr(
            response,
            attribute,
            {
                directive: [v for v in base.get(directive, []) if v != NONE] + list(values)
                for directive, values in sources.items()
            },
        )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "COMPTOIR_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if is_private_path(request.path_info):
            private_no_store(response)
        return response

"""HTML templates to PDF with WeasyPrint, offline.

Every kind extends ``billing/documents/base.html``. The fonts ship with the
project (``billing/fonts``, DejaVu Sans Condensed) and the URL fetcher
refuses anything but files under our own asset folders, so a template (or a
customer's text) can never make a render reach the network.
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.template.loader import render_to_string
from django.utils import translation

from .data import DocumentData, Kind

BILLING_DIR = Path(__file__).resolve().parent.parent
FONTS_DIR = BILLING_DIR / "fonts"
ASSET_DIRS = (FONTS_DIR,)

STYLESHEET = "billing/documents/style.css"
TEMPLATES = {
    Kind.QUOTE: "billing/documents/quote.html",
    Kind.PROFORMA: "billing/documents/proforma.html",
    Kind.INVOICE: "billing/documents/invoice.html",
    Kind.CREDIT_NOTE: "billing/documents/credit_note.html",
    Kind.DELIVERY_NOTE: "billing/documents/delivery_note.html",
}


class OfflineFetchError(ValueError):
    pass


_local = threading.local()


def _font_config():
    """One FontConfiguration per thread, kept: a new one loads the system's
    fontconfig and copies our three fonts to a temporary folder on every
    render (about a third of a one-page render). Not shared across threads:
    fontconfig objects are not thread-safe."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _stylesheet():
    """The documents' stylesheet (their fonts and document.css), parsed and
    its selectors compiled once per thread, with that thread's font
    configuration: the PDF no longer carries it inline to be parsed again
    on every render. Read at the first render: a change to the CSS needs a
    restart, as a change to the code does."""
    stylesheet = getattr(_local, "stylesheet", None)
    if stylesheet is None:
        from weasyprint import CSS

        text = render_to_string(STYLESHEET, {"fonts_url": FONTS_DIR.as_uri()})
        stylesheet = _local.stylesheet = CSS(
            string=text,
            base_url=FONTS_DIR.as_uri() + "/",
            url_fetcher=_url_fetcher(),
            font_config=_font_config(),
        )
    return stylesheet


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    class OfflineURLFetcher(URLFetcher):
        """Files under ASSET_DIRS and data: URLs only; never the network."""

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(folder) for folder in ASSET_DIRS):
                    return super().fetch(url, headers)
            raise OfflineFetchError(f"Documents fetch nothing outside their assets: {url}")

    return OfflineURLFetcher(allowed_protocols=("file", "data"))


def render_html(
    data: DocumentData, *, template: str | None = None, stylesheet_apart: bool = False
) -> str:
    """The document's HTML, its stylesheet inline unless ``stylesheet_apart``
    (render_pdf passes the parsed one, ``_stylesheet``)."""
    with translation.override(data.language):
        return render_to_string(
            template or TEMPLATES[data.kind],
            {"doc": data, "fonts_url": FONTS_DIR.as_uri(), "stylesheet_apart": stylesheet_apart},
        )


def render_pdf(
    data: DocumentData,
    *,
    template: str | None = None,
    attachments: list | None = None,
    pdf_variant: str | None = None,
    xmp_metadata: list | None = None,
) -> bytes:
    """The document as PDF bytes. ``attachments``, ``pdf_variant`` and
    ``xmp_metadata`` are WeasyPrint's (Factur-X passes its XML and
    "pdf/a-3b")."""
    from weasyprint import HTML

    html = render_html(data, template=template, stylesheet_apart=True)
    fetcher = _url_fetcher()
    options = {}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if xmp_metadata:
        options["xmp_metadata"] = xmp_metadata
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        attachments=attachments or None,
        font_config=_font_config(),
        stylesheets=[_stylesheet()],
        **options,
    )


def render_template_pdf(template: str, context: dict, *, language: str) -> bytes:
    """Another app's printable page (a return slip) with the documents'
    fonts and offline fetcher: ``template`` may extend
    ``billing/documents/base.html``'s stylesheet through ``fonts_url``."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "fonts_url": FONTS_DIR.as_uri()})
    return HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_url_fetcher()
    ).write_pdf(font_config=_font_config())

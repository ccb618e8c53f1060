"""Checking a customer's file from its content, never from its name or the
type the browser claims (shared/NOTES.md, "PDF uploads"): the size is
capped, the magic bytes tell the type, then the file is parsed (pypdf for
PDF, Pillow for images); a PDF with JavaScript or actions run on opening
is refused."""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF = "application/pdf"
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png", "PNG"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg", "JPEG"),
    b"GIF87a": ("image/gif", ".gif", "GIF"),
    b"GIF89a": ("image/gif", ".gif", "GIF"),
}
# PDF names that run something: JavaScript, or actions on opening a page
# or the document, launching programs, submitting forms.
ACTIVE_PDF_KEYS = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str
    pages: int = 0


def private_file_store(stored, upload):
    """Fill ``stored`` (a ``procurement.models.PrivateFile``) from ``upload``
    (a ``FileInput``: the checked content and the name it was sent with),
    save the file under a random token, then the row; returns ``stored``."""
    import secrets

    from django.core.files.base import ContentFile

    checked = upload.checked
    stored.token = secrets.token_hex(16)
    stored.extension = checked.extension
    stored.original_name = upload.name[:255]
    stored.content_type = checked.content_type
    stored.size = checked.size
    stored.sha256 = checked.sha256
    stored.file.save("upload", ContentFile(checked.content), save=False)
    stored.save()
    return stored


def max_upload_bytes() -> int:
    return settings.COMPTOIR_PROCUREMENT_MAX_UPLOAD_BYTES


def read_capped(upload) -> bytes:
    """The upload's bytes, refusing anything over the size cap without
    reading more than the cap (plus one byte)."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_big(upload.name))
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(_too_big(upload.name))
    if not content:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
    return content


def _too_big(name) -> str:
    return _("“%(name)s” is larger than %(limit)s.") % {
        "name": name,
        "limit": filesizeformat(max_upload_bytes()),
    }


def check_upload(upload, *, images: bool = True) -> CheckedFile:
    """A PDF (or, with ``images``, a PNG, JPEG or GIF image) checked from
    its content; raises ValidationError with a message for the customer."""
    content = read_capped(upload)
    digest = hashlib.sha256(content).hexdigest()
    if content.startswith(b"%PDF-"):
        pages = _check_pdf(content, upload.name)
        return CheckedFile(content, PDF, ".pdf", len(content), digest, pages)
    if images:
        for magic, (content_type, extension, pil_format) in IMAGE_TYPES.items():
            if content.startswith(magic):
                _check_image(content, upload.name, pil_format)
                return CheckedFile(content, content_type, extension, len(content), digest)
        raise ValidationError(
            _("“%(name)s” is neither a PDF nor an image (PNG, JPEG, GIF).") % {"name": upload.name}
        )
    raise ValidationError(_("“%(name)s” is not a PDF file.") % {"name": upload.name})


def _check_image(content: bytes, name: str, pil_format: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != pil_format:
                raise ValueError(image.format)
            image.verify()
    except Exception as exc:
        raise ValidationError(_("“%(name)s” is not a readable image.") % {"name": name}) from exc


def _check_pdf(content: bytes, name: str) -> int:
    from pypdf import PdfReader

    unreadable = _("“%(name)s” is not a readable PDF file.") % {"name": name}
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("“%(name)s” is password-protected: please send it unprotected.") % {"name": name}
            )
        pages = len(reader.pages)
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:
        logger.info("Refused PDF %s: %s", name, exc)
        raise ValidationError(unreadable) from exc
    if pages < 1:
        raise ValidationError(unreadable)
    if active:
        raise ValidationError(
            _("“%(name)s” contains scripts or automatic actions; we only accept plain PDF files.")
            % {"name": name}
        )
    return pages


def _has_active_content(reader) -> bool:
    """True when the document catalog, its names tree or any page holds
    JavaScript or an action (walks the object graph, visiting each once)."""
    seen = set()
    stack = [reader.trailer["/Root"]]
    while stack:
        obj = stack.pop()
        ref = getattr(obj, "idnum", None)
        if ref is not None:
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, dict):
            if ACTIVE_PDF_KEYS.intersection(obj.keys()):
                return True
            if obj.get("/S") in {"/JavaScript", "/Launch", "/SubmitForm"}:
                return True
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, list):
            stack.extend(obj)
        if len(seen) > 20_000:  # a pathological file: refuse rather than walk on
            return True
    return False

import pytest
from django.core.exceptions import ValidationError

from procurement.services.uploads import check_upload
from tests.procurement.conftest import pdf_bytes, png_bytes, upload


def test_a_real_pdf_and_a_real_image_pass():
    pdf = check_upload(upload("spec.pdf", pdf_bytes(pages=2)))
    image = check_upload(upload("photo.jpg", png_bytes(), "image/jpeg"))

    assert (pdf.content_type, pdf.extension, pdf.pages) == ("application/pdf", ".pdf", 2)
    # The type comes from the content, not from the name the browser sent.
    assert (image.content_type, image.extension) == ("image/png", ".png")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        (b"MZ\x90\x00 an executable", "neither a PDF nor an image"),
        (b"\x89PNG\r\n\x1a\n broken", "not a readable image"),
        (b"", "is empty"),
    ],
)
def test_files_that_lie_about_their_type_are_refused(content, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(upload("datasheet.pdf", content))


def test_a_pdf_with_javascript_is_refused():
    with pytest.raises(ValidationError, match="scripts or automatic actions"):
        check_upload(upload("po.pdf", pdf_bytes(javascript="app.alert('x');")))


def test_a_file_over_the_limit_is_refused_without_reading_it_all(settings):
    settings.COMPTOIR_PROCUREMENT_MAX_UPLOAD_BYTES = 1000
    big = upload("big.pdf", pdf_bytes() + b"\n%" + b"x" * 2000)

    with pytest.raises(ValidationError, match="larger than"):
        check_upload(big)


def test_a_purchase_order_must_be_a_pdf():
    with pytest.raises(ValidationError, match="not a PDF file"):
        check_upload(upload("po.png", png_bytes(), "image/png"), images=False)

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db  # the 404 page shows the category menu


@pytest.fixture
def media_files():
    root = Path(settings.MEDIA_ROOT)
    picture = root / "images" / "products" / "demo" / "test-pic.png"
    private = root / "purchase-orders" / "po-secret.pdf"
    for path, content in ((picture, b"\x89PNG fake"), (private, b"%PDF-1.7 secret")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    yield
    picture.unlink()
    private.unlink()


def test_product_pictures_are_served_and_cached(client, media_files):
    response = client.get("/media/images/products/demo/test-pic.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize(
    "path",
    [
        "/media/purchase-orders/po-secret.pdf",
        "/media/images/../purchase-orders/po-secret.pdf",
        "/media/images/%2e%2e/purchase-orders/po-secret.pdf",
        "/media/images/products/demo/missing.png",
    ],
)
def test_nothing_else_under_media_is_served(client, media_files, path):
    assert client.get(path).status_code == 404

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from procurement.storage import private_storage
from tests.factories import make_order, make_product

pytestmark = pytest.mark.django_db


def test_private_files_are_stored_outside_media(tmp_path, settings):
    """Given the private root, when a file is saved, then it lands there and
    nowhere under MEDIA_ROOT (which the public media view serves)."""
    settings.COMPTOIR_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    name = private_storage().save("procurement/x.pdf", ContentFile(b"%PDF-1.4"))

    assert (tmp_path / "private" / name).exists()
    assert not Path(settings.MEDIA_ROOT).exists()
    with pytest.raises(NotImplementedError):
        private_storage().url(name)


def test_a_line_awaiting_supplier_goods_is_not_in_hand():
    """Given a service line (no stock tracked) with units awaited from a
    supplier, then it counts as to order until they arrive."""
    order = make_order(lines=[(make_product(track_stock=False), 2)])
    line = order.lines.get()
    assert line.num_to_order == 0

    line.num_awaited = 2
    assert line.num_to_order == 2
    assert str(settings.COMPTOIR_PRIVATE_ROOT) != str(settings.MEDIA_ROOT)

"""Where customers' and suppliers' files live: outside MEDIA_ROOT, so that
``shop.views.public_media`` (images and thumbnails only) can never serve
them. They are read back only through the authenticated download views."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A filesystem storage under COMPTOIR_PRIVATE_ROOT, read when used (so
    tests can point it elsewhere with override_settings), with no URL."""

    @property
    def base_location(self):
        return str(settings.COMPTOIR_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files are served by authenticated views only.")


_storage = PrivateStorage()


def private_storage():
    """Callable for FileField(storage=...): keeps the path out of migrations."""
    return _storage

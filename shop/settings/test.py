"""Tests: the database and Redis come from the environment (CI sets both)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"
COMPTOIR_SMS_BACKEND = "shop.sms.LocmemBackend"
# Static files come from the finders; nothing is collected for tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

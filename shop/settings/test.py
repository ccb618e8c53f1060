"""Tests: the database and Redis come from the environment (CI sets both)."""

from .base import *  # noqa: F403
from .base import DATABASES, THUMBNAIL_KVSTORE, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A file, not SQLite's shared in-memory database: it is kept between runs
# (--reuse-db), and the threads of the oversell test wait on the IMMEDIATE
# write lock instead of failing at once with "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"
COMPTOIR_SMS_BACKEND = "core.sms.LocmemBackend"
# Static files come from the finders; nothing is collected for tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if THUMBNAIL_KVSTORE.endswith("dbm_kvstore.KVStore"):
    THUMBNAIL_DBM_FILE = str(VAR_DIR / "test-thumbnail-kvstore")

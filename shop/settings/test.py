"""Tests: the database and Redis come from the environment (CI sets both)."""

import os

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
# `make test-fast` runs the suite in several processes (pytest-xdist): each
# gets its own files and thumbnail keys, so none removes or overwrites what
# another is reading. (pytest-django gives each its own test database.)
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
MEDIA_ROOT = VAR_DIR / f"test-media{_SUFFIX}"
COMPTOIR_PRIVATE_ROOT = VAR_DIR / f"test-private{_SUFFIX}"
THUMBNAIL_KEY_PREFIX = f"sorl-thumbnail{_SUFFIX}"
COMPTOIR_SMS_BACKEND = "core.sms.LocmemBackend"
# Static files come from the finders; nothing is collected for tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if THUMBNAIL_KVSTORE.endswith("dbm_kvstore.KVStore"):
    THUMBNAIL_DBM_FILE = str(VAR_DIR / f"test-thumbnail-kvstore{_SUFFIX}")

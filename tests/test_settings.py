"""The settings read from the environment: production passes Django's deploy
checks and refuses to start without a secret key; the URLs pick the right
backends; with nothing set, the embedded default needs no server."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE_SETTINGS = ROOT / "shop" / "settings" / "base.py"


def clean_env(**extra: str) -> dict:
    """A minimal environment: what runs Python, and only the given settings."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path, **extra: str) -> dict:
    return clean_env(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        COMPTOIR_VAR_DIR=str(tmp_path),
        # Only what the test sets: not a developer's local .env.
        COMPTOIR_ENV_FILE=str(tmp_path / "no.env"),
        **extra,
    )


def test_production_passes_deploy_checks(tmp_path):
    """Given a 50+ character secret key and the served host names,
    when `manage.py check --deploy` runs on the production settings,
    then it reports no issue, not even a warning."""
    env = production_env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example,www.shop.example",
        COMPTOIR_DEFAULT_MANAGER_USERNAME="claire",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_asks_for_the_default_manager(tmp_path):
    env = production_env(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="shop.example"
    )
    result = manage("check", "--deploy", env=env)
    assert "comptoir.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    """Given no SECRET_KEY in the environment,
    when anything loads the production settings,
    then it stops with an error naming the variable (no silent default key)."""
    env = production_env(tmp_path, ALLOWED_HOSTS="shop.example")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.fixture
def load_base_settings(monkeypatch):
    """Evaluate shop/settings/base.py against a given environment, in-process:
    the environment is a private dict, and no `.env` file is read."""

    def load(**variables: str) -> dict:
        monkeypatch.setattr(environ.Env, "ENVIRON", dict(variables))
        monkeypatch.setattr(environ.Env, "read_env", classmethod(lambda cls, *a, **k: None))
        return runpy.run_path(str(BASE_SETTINGS))

    return load


def test_database_url_selects_postgresql(load_base_settings):
    """Given a postgres:// DATABASE_URL, the database is PostgreSQL with its parts."""
    s = load_base_settings(DATABASE_URL="postgres://shop:pw@db.internal:5433/comptoir")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == (
        "comptoir",
        "shop",
        "db.internal",
        5433,
    )
    assert db["CONN_MAX_AGE"] == 60
    assert "transaction_mode" not in db.get("OPTIONS", {})


def test_redis_url_selects_redis_cache_broker_and_results(load_base_settings):
    """Given REDIS_URL, Redis serves the cache, the Celery broker and results."""
    url = "redis://cache.internal:6379/2"
    s = load_base_settings(REDIS_URL=url)
    # Django's Redis cache, answering as an empty cache while Redis is down.
    assert s["CACHES"]["default"]["BACKEND"] == "core.cache.FailSoftRedisCache"
    assert s["CACHES"]["default"]["LOCATION"] == url
    assert s["CELERY_BROKER_URL"] == url
    assert s["CELERY_RESULT_BACKEND"] == url
    assert "data_folder_in" not in s.get("CELERY_BROKER_TRANSPORT_OPTIONS", {})


def test_the_cache_may_have_a_redis_of_its_own(load_base_settings):
    """REDIS_CACHE_URL (a Redis with allkeys-lru) takes the cache alone: the
    broker stays on REDIS_URL, whose queues must never be evicted."""
    s = load_base_settings(REDIS_URL="redis://redis:6379/0", REDIS_CACHE_URL="redis://cache:6379/0")
    assert s["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/0"
    assert s["CELERY_BROKER_URL"] == "redis://redis:6379/0"


def test_embedded_default_needs_no_server(load_base_settings, tmp_path):
    """Given no variable at all, the shop runs on SQLite, a file cache and a
    filesystem Celery broker, all under the var directory."""
    s = load_base_settings(COMPTOIR_VAR_DIR=str(tmp_path))
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "comptoir.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert s["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")
    assert s["CELERY_BROKER_URL"] == "filesystem://"
    options = s["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert options["data_folder_in"] == options["data_folder_out"]
    assert Path(options["data_folder_in"]).is_relative_to(tmp_path)
    assert s["CELERY_RESULT_BACKEND"] == f"file://{tmp_path / 'celery' / 'results'}"
    assert s["EMAIL_BACKEND"] == "anymail.backends.console.EmailBackend"

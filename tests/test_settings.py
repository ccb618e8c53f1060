"""The settings read from the environment: production passes Django's deploy
checks and refuses to start without a secret key; the URLs pick the right
backends; with nothing set, the embedded default needs no server."""

import json
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
        ANYMAIL_WEBHOOK_SECRET="inbound:" + secrets.token_urlsafe(24),
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


def test_transaction_pooling_disables_server_side_cursors(load_base_settings):
    """Given DATABASE_TRANSACTION_POOLING (PgBouncer in transaction mode), no
    server-side cursor outlives a transaction; without it, Django's default."""
    url = "postgres://shop:pw@pgbouncer:6432/comptoir"
    pooled = load_base_settings(DATABASE_URL=url, DATABASE_TRANSACTION_POOLING="true")
    direct = load_base_settings(DATABASE_URL=url)
    assert pooled["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "DISABLE_SERVER_SIDE_CURSORS" not in direct["DATABASES"]["default"]
    # psycopg 3 prepares nothing unless told to (Django's default), and the
    # shop does not tell it to: nothing prepared is left on a server connection.
    assert "prepare_threshold" not in pooled["DATABASES"]["default"].get("OPTIONS", {})


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


# --- Operations: request logs and Sentry (issue 12 item 6) ---------------------------

SERVE_TWO_REQUESTS = """
from django.conf import settings
from django.test import Client
# No collectstatic here: the error page's favicon from the plain storage.
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
client = Client()
client.get("/ping", HTTP_X_REQUEST_ID="ops-req-0001", secure=True)
client.get("/ping?q=%00", HTTP_X_REQUEST_ID="ops-req-0002", secure=True)
"""


def test_production_logs_one_json_line_per_request_with_its_id(tmp_path):
    """Given the production settings, when two requests are served (the
    second answered 400), then stderr holds only JSON lines: one per
    request with id, user, method, path, status and duration, and Django's
    warning for the 400 with the same request id."""
    env = production_env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="INFO",
    )
    result = manage("shell", "-c", SERVE_TWO_REQUESTS, env=env)
    assert result.returncode == 0, result.stderr
    # (Python's own warnings, e.g. WhiteNoise's about the uncollected static
    # folder, bypass logging: only records are JSON.)
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    requests = [e for e in lines if e["logger"] == "comptoir.request"]
    assert [(e["request_id"], e["method"], e["path"], e["status"]) for e in requests] == [
        ("ops-req-0001", "GET", "/ping", 200),
        ("ops-req-0002", "GET", "/ping", 400),
    ]
    assert all(e["user_id"] is None and e["duration_ms"] >= 0 for e in requests)
    [warning] = [e for e in lines if e["logger"] == "django.request"]
    assert warning["request_id"] == "ops-req-0002" and warning["level"] == "WARNING"


def test_development_logs_plain_lines_with_the_request_id(tmp_path):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="shop.settings.dev",
        COMPTOIR_VAR_DIR=str(tmp_path),
        COMPTOIR_ENV_FILE=str(tmp_path / "no.env"),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="INFO",
    )
    result = manage("shell", "-c", SERVE_TWO_REQUESTS.replace("secure=True", ""), env=env)
    assert result.returncode == 0, result.stderr
    line = next(ln for ln in result.stderr.splitlines() if "comptoir.request" in ln)
    assert "[ops-req-0001] GET /ping 200" in line and not line.startswith("{")


SENTRY_STATE = """
import json, sentry_sdk
from sentry_sdk.transport import Transport

client = sentry_sdk.get_client()
sent = []

class Keep(Transport):
    def capture_envelope(self, envelope):
        sent.append(envelope)

if client.is_active():
    client.transport = Keep()
    sentry_sdk.capture_message("probe")
    client.flush()
print(json.dumps({
    "active": client.is_active(),
    "dsn": client.dsn,
    "pii": client.options.get("send_default_pii"),
    "integrations": sorted(client.integrations),
    "sent": len(sent),
}))
"""


@pytest.mark.parametrize("dsn", ["", "http://public@127.0.0.1:9/1"])
def test_sentry_is_on_only_with_a_dsn_and_sends_no_personal_data(tmp_path, dsn):
    """Without SENTRY_DSN Sentry stays off; with one (here a closed port on
    127.0.0.1, and a transport that keeps what it is given: no network),
    it runs with the Django and Celery integrations and no personal data."""
    env = production_env(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="shop.example"
    )
    if dsn:
        env["SENTRY_DSN"] = dsn
    result = manage("shell", "-c", SENTRY_STATE, env=env)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    if not dsn:
        assert state["active"] is False and state["sent"] == 0
        return
    assert state["active"] is True and state["dsn"] == dsn
    assert state["pii"] is False
    assert {"django", "celery"} <= set(state["integrations"])
    assert state["sent"] == 1

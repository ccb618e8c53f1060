"""docker-compose.yml is valid and wires the services as production needs
them; `.env.example` documents every variable the settings read.

No Docker engine is needed: `docker-compose config` validates and resolves
the file on its own (Debian's docker-compose 1.29, installed by
scripts/system-deps.sh)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
# The "scale" profile (issue 14): a second web container and a second worker.
SCALE_SERVICES = ("web-2", "worker-2")


def docker_compose() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail("docker-compose is missing: `make test` installs it (scripts/system-deps.sh)")
    return path


@pytest.fixture(scope="module")
def compose_config(tmp_path_factory) -> dict:
    """The resolved configuration, with `.env.example` as the `.env`."""
    executable = docker_compose()
    project = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", project)
    shutil.copy(ROOT / "Dockerfile", project)
    shutil.copy(ROOT / ".env.example", project / ".env")
    env = {"PATH": os.environ["PATH"], "HOME": str(project)}
    result = subprocess.run(
        [executable, "-f", "docker-compose.yml", "config"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # docker-compose is a Python program with PyYAML: its interpreter turns
    # the YAML it printed into JSON (the project itself needs no YAML parser).
    interpreter = Path(executable).read_text().splitlines()[0].removeprefix("#!").split()
    as_json = subprocess.run(
        [
            *interpreter,
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)",
        ],
        input=result.stdout,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(as_json.stdout)


def test_compose_file_is_valid_and_has_every_service(compose_config):
    assert set(compose_config["services"]) == {
        *APP_SERVICES,
        *SCALE_SERVICES,
        "db",
        "redis",
        "cache",
    }
    assert {"postgres", "redis", "media", "static"} <= set(compose_config["volumes"])


def test_app_services_run_production_settings_on_postgres_and_redis(compose_config):
    for name in APP_SERVICES:
        service = compose_config["services"][name]
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "shop.settings.production", name
        assert env["DATABASE_URL"] == "postgres://comptoir:change-me@db:5432/comptoir", name
        assert env["REDIS_URL"].startswith("redis://redis:6379/"), name
        assert env["REDIS_CACHE_URL"].startswith("redis://cache:6379/"), name
        # env_file: .env reaches every service.
        assert env["SECRET_KEY"], name
        assert service["image"] == "comptoir:latest", name
    commands = {name: compose_config["services"][name]["command"] for name in APP_SERVICES}
    assert commands["web"].startswith("gunicorn shop.wsgi")
    assert commands["worker"].startswith("celery -A shop worker")
    assert commands["beat"].startswith("celery -A shop beat")
    assert "manage.py migrate" in commands["migrate"]


def test_services_start_in_order_with_health_checks(compose_config):
    services = compose_config["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert services["migrate"]["restart"] == "no"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    web_volumes = {v.split(":")[1] for v in services["web"]["volumes"]}
    assert {"/app/var/media", "/app/var/static"} <= web_volumes


def test_scale_profile_adds_a_web_and_a_worker_on_the_same_engines(compose_config):
    """The "scale" example: web-2 and worker-2 are web and worker again, on
    the same PostgreSQL and Redis, started only with --profile scale; web-2
    answers on its own host port; beat stays one (the jobs' clock)."""
    services = compose_config["services"]
    for extra, original in (("web-2", "web"), ("worker-2", "worker")):
        assert services[extra]["profiles"] == ["scale"]
        assert "profiles" not in services[original]
        for key in ("command", "environment", "image", "depends_on", "volumes", "healthcheck"):
            assert services[extra][key] == services[original][key], (extra, key)
    published = {
        name: {(p["host_ip"], p["published"]) for p in services[name]["ports"]}
        if isinstance(services[name]["ports"][0], dict)
        else set(services[name]["ports"])
        for name in ("web", "web-2")
    }
    assert published["web"] and published["web-2"]
    assert not published["web"] & published["web-2"]
    assert not any(name.startswith("beat-") for name in services)


def test_dockerfile_builds_a_production_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert "libpango-1.0-0" in dockerfile  # WeasyPrint
    assert "collectstatic" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=shop.settings.production" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert '"gunicorn", "shop.wsgi"' in dockerfile
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def settings_variables() -> set[str]:
    """Every variable name the settings modules read with django-environ."""
    pattern = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
    names = set()
    for module in (ROOT / "shop" / "settings").glob("*.py"):
        names |= set(pattern.findall(module.read_text()))
    return names


def test_env_example_documents_every_variable():
    """Each variable the settings read appears in `.env.example`, set or
    commented out (`NAME=` or `# NAME=`)."""
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M)
    )
    variables = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= variables
    missing = sorted(variables - documented)
    assert not missing, f"add these to .env.example: {', '.join(missing)}"


def test_the_cache_is_bounded_and_evicts_while_the_broker_never_does(compose_config):
    """Every cache key may be evicted (allkeys-lru under maxmemory, issue 14);
    the broker's queues may not, so the broker keeps Redis's default."""
    cache = compose_config["services"]["cache"]["command"]
    assert "--maxmemory-policy allkeys-lru" in cache
    assert "--maxmemory 256mb" in cache
    assert "maxmemory-policy" not in compose_config["services"]["redis"]["command"]

"""Celery: tasks run on a real worker (never eagerly), with the broker the
settings choose: Redis when REDIS_URL is set (CI), otherwise the embedded
default's filesystem broker; and beat schedules the housekeeping job."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop import housekeeping
from shop.celery import app as celery_app
from shop.tasks import housekeeping as housekeeping_task
from shop.tasks import ping
from tests.celery_helpers import fresh_broker_connections

ROOT = Path(__file__).resolve().parent.parent
Basket = get_model("basket", "Basket")


def make_basket(*, owner=None, age_days=0, status=None):
    basket = Basket.objects.create(owner=owner, status=status or Basket.OPEN)
    if age_days:
        Basket.objects.filter(pk=basket.pk).update(
            date_created=timezone.now() - timedelta(days=age_days)
        )
    return basket


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="client", email="client@example.com", password="x"
    )


# --- The service, without Celery -------------------------------------------------


@pytest.mark.django_db
def test_baskets_delete_stale_keeps_recent_customer_and_submitted_baskets(customer):
    """Given anonymous baskets older and newer than the limit, a customer's
    old basket and an old submitted basket,
    when stale baskets are deleted,
    then only the old anonymous open basket is gone."""
    stale = make_basket(age_days=31)
    recent = make_basket(age_days=2)
    customers = make_basket(owner=customer, age_days=90)
    submitted = make_basket(age_days=90, status=Basket.SUBMITTED)

    deleted = housekeeping.baskets_delete_stale(older_than_days=30)

    assert deleted >= 1
    remaining = set(Basket.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining
    assert {recent.pk, customers.pk, submitted.pk} <= remaining


@pytest.mark.django_db
def test_basket_age_limit_comes_from_settings(settings):
    settings.COMPTOIR_BASKET_STALE_DAYS = 5
    six_days = make_basket(age_days=6)
    four_days = make_basket(age_days=4)

    housekeeping.baskets_delete_stale()

    assert not Basket.objects.filter(pk=six_days.pk).exists()
    assert Basket.objects.filter(pk=four_days.pk).exists()


@pytest.mark.django_db
def test_housekeeping_run_clears_expired_sessions_and_stale_baskets():
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.create()
    live = SessionStore()
    live.create()
    make_basket(age_days=400)

    result = housekeeping.housekeeping_run()

    assert result == {"baskets_deleted": 1}
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert expired.session_key not in keys
    assert live.session_key in keys


# --- A real worker in a thread ------------------------------------------------------


def broker_transport() -> str:
    with celery_app.connection_for_write() as conn:
        return conn.transport.driver_type


@pytest.fixture(scope="module")
def worker():
    """The project's Celery app, configured from the settings, consumed by an
    embedded worker (solo pool, in a thread), shared by this module's tests
    (stopping it takes a few seconds).

    The tasks go to a queue of their own, so that another worker sharing the
    broker (`make run`, or another test run on this machine) cannot take them.
    """
    if settings.CELERY_BROKER_URL == "filesystem://":
        # The embedded default's folders; `scripts/run.sh` creates them too.
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for folder in (options["data_folder_in"], options["processed_folder"]):
            Path(folder).mkdir(parents=True, exist_ok=True)
    if settings.CELERY_RESULT_BACKEND.startswith("file://"):
        Path(settings.CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(
            parents=True, exist_ok=True
        )
    # New broker connections: a test elsewhere may have closed the pooled
    # ones (closed kombu pools stay registered, and refuse to hand out more).
    fresh_broker_connections(celery_app)
    queue = f"test-{uuid.uuid4().hex}"
    saved = {key: celery_app.conf[key] for key in ("task_default_queue", "task_always_eager")}
    celery_app.conf.update(task_default_queue=queue, task_always_eager=False)
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue]
        ) as running:
            yield running
    finally:
        celery_app.conf.update(saved)


@pytest.mark.worker
def test_broker_is_redis_in_ci():
    """CI sets REDIS_URL: the worker tests there must run on Redis, not on a
    broker picked by accident."""
    transport = broker_transport()
    if os.environ.get("CI"):
        assert transport == "redis"
    else:
        assert transport == ("redis" if os.environ.get("REDIS_URL") else "filesystem")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_ping_round_trip_through_a_real_worker(worker):
    result = ping.delay("hello")

    assert result.get(timeout=10) == {"pong": "hello"}
    assert result.successful()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_housekeeping_through_a_real_worker(worker, customer):
    """Given an old anonymous basket, a recent one and a customer's old one,
    committed so the worker's own connection sees them,
    when the housekeeping task runs on the worker,
    then only the old anonymous basket is deleted."""
    stale = make_basket(age_days=60)
    recent = make_basket(age_days=1)
    customers = make_basket(owner=customer, age_days=60)

    result = housekeeping_task.delay().get(timeout=10)

    assert result == {"baskets_deleted": 1}
    assert not Basket.objects.filter(pk=stale.pk).exists()
    assert Basket.objects.filter(pk__in=[recent.pk, customers.pk]).count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_outbox_message_is_delivered_by_a_real_worker(worker):
    """Given a message queued in a committed transaction, the outbox's task
    (asked on commit) delivers it on the worker, once; running it again
    (what beat does) sends nothing more."""
    from django.core import mail

    from core.outbox.models import OutboxMessage
    from core.outbox.services import outbox_message, outbox_queue
    from core.outbox.tasks import outbox_send

    with transaction.atomic():
        [message] = outbox_queue(
            [outbox_message(channel="email", recipient="client@example.com", subject="Hi")]
        )
    for _ in range(100):
        message.refresh_from_db()
        if message.status == OutboxMessage.Status.SENT:
            break
        time.sleep(0.1)

    assert message.status == OutboxMessage.Status.SENT
    assert outbox_send.delay().get(timeout=10) == 0
    assert [m.subject for m in mail.outbox] == ["Hi"]


# --- celery beat and a worker as separate processes ----------------------------------


def database_url_for_subprocess(var_dir: Path) -> str:
    """A database the subprocesses can open holding the test's rows: a file
    copy of an SQLite test database (often in memory), or the PostgreSQL
    test database itself."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target = var_dir / "comptoir.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return f"sqlite:///{target}"
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}{port}/{db['NAME']}"
    raise NotImplementedError(f"no subprocess database for {connection.vendor}")


def wait_for(path: Path, text: str, *, timeout: float, processes) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        for process in processes:
            if process.poll() is not None:
                break
        time.sleep(0.2)
    return path.read_text() if path.exists() else ""


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_schedules_housekeeping_on_the_embedded_default(tmp_path, customer):
    """Given the embedded default (filesystem broker, no Redis) and a
    housekeeping interval of one second,
    when `celery -A shop beat` and `celery -A shop worker` run,
    then beat sends the housekeeping job and the worker runs it."""
    make_basket(age_days=60)
    make_basket(owner=customer, age_days=60)
    for folder in ("queue", "processed", "results"):
        (tmp_path / "celery" / folder).mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env.update(
        COMPTOIR_VAR_DIR=str(tmp_path),
        HOUSEKEEPING_INTERVAL="1",
        # Empty wins over a local .env: the embedded default's broker.
        REDIS_URL="",
        DATABASE_URL=database_url_for_subprocess(tmp_path),
    )
    celery = [sys.executable, "-m", "celery", "-A", "shop"]
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    commands = {
        worker_log: [
            *celery,
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        beat_log: [*celery, "beat", "--loglevel=INFO"],
    }
    processes = []
    try:
        for log, command in commands.items():
            with log.open("w") as out:
                processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
                )
        worker_output = wait_for(worker_log, "succeeded", timeout=60, processes=processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    beat_output = beat_log.read_text()
    assert "Sending due task housekeeping (shop.tasks.housekeeping)" in beat_output, beat_output
    assert "filesystem" in worker_output, worker_output
    assert "Task shop.tasks.housekeeping[" in worker_output, worker_output
    assert "succeeded" in worker_output and "'baskets_deleted': 1" in worker_output, worker_output

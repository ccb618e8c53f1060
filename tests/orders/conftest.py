import pytest

from tests.celery_helpers import fresh_broker_connections


@pytest.fixture
def eager_celery():
    """Run queued tasks in-process for this unit test (the worker tests use a
    real worker instead)."""
    from shop.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def unreachable_broker():
    """Point the Celery app at a port where no broker listens, and fail fast."""
    from shop.celery import app

    saved = {
        key: app.conf[key]
        for key in ("broker_url", "broker_transport_options", "task_publish_retry")
    }
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_transport_options = {"max_retries": 0}
    app.conf.task_publish_retry = False
    fresh_broker_connections(app)
    yield app
    app.conf.update(saved)
    fresh_broker_connections(app)


@pytest.fixture(autouse=True)
def _english_messages():
    """Service errors are asserted in English; emails follow order.language."""
    from django.utils import translation

    with translation.override("en"):
        yield

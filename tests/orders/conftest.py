import pytest

from tests.celery_helpers import fresh_broker_connections
from tests.fixtures import eager_celery, english_messages  # noqa: F401 (fixtures)


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

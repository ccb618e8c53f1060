"""Redis stops while an order changes state: the change is saved, the
customer's email waits in the outbox, and goes out once Redis is back.

The test runs its own Redis server on a free port, so stopping it disturbs
nothing else, and a real Celery worker consumes from it."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from core.outbox.selectors import messages_about
from core.outbox.tasks import outbox_send
from orders.services import transitions as t
from orders.statuses import OrderStatus
from shop.celery import app
from tests.celery_helpers import fresh_broker_connections
from tests.factories import make_order, make_product

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    server = RedisServer()
    server.start()
    saved = {
        k: app.conf[k]
        for k in ("broker_url", "task_default_queue", "task_always_eager", "task_publish_retry")
    }
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{server.port}/0",
        task_default_queue=f"outage-{uuid.uuid4().hex}",
        task_always_eager=False,
    )
    fresh_broker_connections(app)
    yield server
    if server.process.poll() is None:
        server.stop()
    app.conf.update(saved)
    fresh_broker_connections(app)


def test_notification_survives_a_broker_outage(own_redis):
    order = make_order(lines=[(make_product(stock=5), 1)])
    own_redis.stop()

    t.order_reserve(order_id=order.pk)  # commits; queuing the send fails

    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED
    message = messages_about(order).get()
    assert message.status == "pending"

    own_redis.start()
    fresh_broker_connections(app)
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[app.conf.task_default_queue]
    ):
        outbox_send.delay()  # what beat does every minute
        for _ in range(100):
            message.refresh_from_db()
            if message.status == "sent":
                break
            time.sleep(0.1)

    assert message.status == "sent"
    assert [m.subject for m in mail.outbox] == [message.subject]

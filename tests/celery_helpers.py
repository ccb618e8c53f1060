import kombu.pools
from celery import _state


def fresh_broker_connections(app) -> None:
    """Drop the app's pooled broker connections (after changing the broker,
    or after a test that broke them) without closing kombu's pools for good."""
    kombu.pools.reset()
    app.close()
    app.amqp._producer_pool = None
    # close() also deregisters the app: a shared task imported afterwards
    # (core.outbox.tasks, imported when first queued) would then never reach
    # its registry, and .delay() would raise NotRegistered.
    _state._register_app(app)

import kombu.pools


def fresh_broker_connections(app) -> None:
    """Drop the app's pooled broker connections (after changing the broker,
    or after a test that broke them) without closing kombu's pools for good."""
    kombu.pools.reset()
    app.close()
    app.amqp._producer_pool = None

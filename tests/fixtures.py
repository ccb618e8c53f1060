"""Fixtures several test packages share. A package's conftest imports the
ones it wants (an autouse fixture then applies to that package only):

    from tests.fixtures import eager_celery, english_messages  # noqa: F401 (fixtures)
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service errors and admin messages are asserted in English (the shop's
    default is French); documents and emails follow their own language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def online_providers_configured(settings):
    """Card and PayPal are offered only when their provider is configured:
    give both dummy keys (tests that need them absent clear them)."""
    settings.STRIPE_SECRET_KEY = "sk_test_dummy"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dummy"
    settings.PAYPAL_CLIENT_ID = "dummy-client"
    settings.PAYPAL_CLIENT_SECRET = "dummy-secret"


@pytest.fixture
def eager_celery():
    """Queued tasks run in-process for this unit test (the on-commit fast
    path; the worker tests use a real worker instead)."""
    from shop.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous

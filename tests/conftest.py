import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty fragment caches."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test-client request to /en/ leaves English active in the test thread
    (the locale middleware activates it, nothing deactivates it): put the
    default back, so the next test reverses URLs in French."""
    yield
    translation.deactivate()

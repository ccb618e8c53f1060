import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty fragment caches."""
    cache.clear()
    yield
    cache.clear()

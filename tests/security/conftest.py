import pytest
from django.contrib.auth import get_user_model
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def customer(db):
    return get_user_model().objects.create_user(
        "ada", "ada@example.com", "ada-good-password-42", first_name="Ada"
    )


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "chef", "chef@comptoir.example", "chef-good-password-42", is_staff=True, is_superuser=True
    )

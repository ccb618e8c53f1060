import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_order, make_product
from tests.fixtures import eager_celery, english_messages, online_providers_configured  # noqa: F401
from tests.procurement.conftest import (  # noqa: F401
    _france,
    _private_root,
    buyer,
    checked,
    other,
    pdf_bytes,
    png_bytes,
    staff,
    submit,
    suppliers,
    upload,
)


@pytest.fixture(autouse=True)
def _reply_domain(settings):
    settings.COMPTOIR_REPLY_DOMAIN = "reply.comptoir.test"
    settings.COMPTOIR_CONVERSATIONS_STAFF_EMAILS = ["sav@comptoir.test"]
    settings.COMPTOIR_PROCUREMENT_EMAIL = "devis@comptoir.test"


@pytest.fixture
def order(buyer):  # noqa: F811
    return make_order(lines=[(make_product(), 1)], user=buyer)


@pytest.fixture
def guest_order(db):
    return make_order(lines=[(make_product(), 1)], email="guest@example.com")


@pytest.fixture
def staff2(db):
    return get_user_model().objects.create_user(
        "staff2", "staff2@comptoir.example", "pw-staff-456", is_staff=True
    )


@pytest.fixture(autouse=True)
def _eager(eager_celery):  # noqa: F811
    """The outbox's on-commit fast path runs in the test."""

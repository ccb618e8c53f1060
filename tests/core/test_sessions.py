"""core.sessions: an existing session is saved in one statement outside a
transaction, and behaves as Django's cached_db otherwise."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_existing_session_is_saved_in_one_update_and_read_back():
    store = SessionStore()
    store["step"] = "address"
    store.save(must_create=True)
    store["step"] = "delivery"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    assert SessionStore(store.session_key)["step"] == "delivery"
    assert Session.objects.get(pk=store.session_key).get_decoded()["step"] == "delivery"


def test_a_session_deleted_meanwhile_is_not_brought_back():
    store = SessionStore()
    store["step"] = "address"
    store.save(must_create=True)
    Session.objects.filter(pk=store.session_key).delete()
    store["step"] = "delivery"
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(pk=store.session_key).exists()

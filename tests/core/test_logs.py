"""Request logs (core.logs): a request id on every line of a request, taken
from the proxy's X-Request-ID or made, sent back, and one line per request
with the user, method, path, status and duration; JSON in production."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model

from core.logs import JsonFormatter, RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "comptoir.request"]


def test_a_sane_request_id_is_honoured_and_sent_back(client, caplog):
    with caplog.at_level(logging.INFO, logger="comptoir.request"):
        response = client.get("/ping", HTTP_X_REQUEST_ID="req-1234abcd")
    assert response["X-Request-ID"] == "req-1234abcd"
    [line] = request_lines(caplog)
    assert (line.request_id, line.method, line.path, line.status) == (
        "req-1234abcd",
        "GET",
        "/ping",
        response.status_code,
    )
    assert line.user_id is None and line.duration_ms >= 0


@pytest.mark.parametrize("given", [None, "x", "has space in it", "é" * 20, "a" * 200])
def test_a_missing_or_odd_request_id_is_replaced(client, caplog, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    with caplog.at_level(logging.INFO, logger="comptoir.request"):
        response = client.get("/ping", **headers)
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32 and int(made, 16) >= 0
    assert request_lines(caplog)[0].request_id == made


def test_the_line_names_the_signed_in_user_and_the_status(client, caplog):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="comptoir.request"):
        page = client.get("/accounts/")
        missing = client.get("/this/does/not/exist/")
    lines = request_lines(caplog)
    assert [line.user_id for line in lines] == [user.pk, user.pk]
    assert [line.status for line in lines] == [page.status_code, missing.status_code]
    assert missing.status_code == 404


def test_every_line_of_a_request_carries_its_id(client, caplog):
    """The lines logged while serving (here Django's warning for the
    NUL-byte guard's 400) carry the request's id once the filter ran;
    outside a request the id is "-"."""
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append((record.name, record.request_id))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            response = client.get("/ping?q=%00", HTTP_X_REQUEST_ID="nul-request-1")
    finally:
        root.removeHandler(handler)
    assert response.status_code == 400
    assert {name for name, _ in seen} >= {"comptoir.request", "django.request"}
    assert {request_id for _, request_id in seen} == {"nul-request-1"}
    assert current_request_id() == "-"


def test_the_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord(
        "comptoir.request", logging.INFO, __file__, 1, "GET %s", ("/",), None
    )
    record.request_id, record.user_id, record.status = "r-00000001", 7, 200
    record.method, record.path, record.duration_ms = "GET", "/", 1.5
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /" and entry["level"] == "INFO"
    assert {k: entry[k] for k in ("request_id", "user_id", "status", "duration_ms")} == {
        "request_id": "r-00000001",
        "user_id": 7,
        "status": 200,
        "duration_ms": 1.5,
    }
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(JsonFormatter().format(failing))["exception"]

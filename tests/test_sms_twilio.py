"""The Twilio backend, through Twilio's own SDK, against a local server that
answers as Twilio's Messages API documents."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from core.sms import SmsError, TwilioBackend

SID, TOKEN = "AC" + "0" * 32, "secret-token"


class FakeTwilio(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
        if self.path != f"/2010-04-01/Accounts/{SID}/Messages.json":
            return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if not form.get("To", "").startswith("+"):
            return self._reply(
                400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
            )
        self.received.append(form)
        self._reply(201, {"sid": "SM" + "1" * 32, "status": "queued", **form})

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = SID, TOKEN
    settings.TWILIO_FROM_NUMBER = "+33700000000"
    FakeTwilio.received = []
    yield FakeTwilio
    server.shutdown()


def test_sends_through_the_sdk(twilio):
    sid = TwilioBackend().send(to="+33612345678", body="Commande T1 expédiée")
    assert sid == "SM" + "1" * 32
    assert twilio.received == [
        {"To": "+33612345678", "From": "+33700000000", "Body": "Commande T1 expédiée"}
    ]


def test_provider_errors_become_sms_errors(twilio, settings):
    with pytest.raises(SmsError, match="Invalid 'To'"):
        TwilioBackend().send(to="0612", body="x")
    settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(SmsError):
        TwilioBackend().send(to="+33612345678", body="x")
    assert twilio.received == []

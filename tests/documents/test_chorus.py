"""Chorus Pro: export of the Factur-X files waiting for deposit, and the
API client against a local server answering like PISTE / Chorus Pro."""

import base64
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings

from billing.documents import chorus
from billing.documents.services import document_pdf
from orders.services import transitions as t

pytestmark = pytest.mark.django_db


class FakeChorus(BaseHTTPRequestHandler):
    """POST /token (OAuth2 client credentials) and the "deposer flux" call."""

    calls: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/token":
            ok = b"client_id=cid" in body and b"grant_type=client_credentials" in body
            return self._answer(200 if ok else 401, {"access_token": "tok", "token_type": "Bearer"})
        if self.path == chorus.DEPOSIT_PATH:
            payload = json.loads(body)
            FakeChorus.calls.append({"headers": dict(self.headers), "payload": payload})
            if self.headers.get("Authorization") != "Bearer tok":
                return self._answer(401, {"codeRetour": 1, "libelle": "unauthorised"})
            if not base64.b64decode(payload["fichierFlux"]).startswith(b"%PDF-"):
                return self._answer(400, {"codeRetour": 20001, "libelle": "GCU_MSG_01_001"})
            return self._answer(
                200,
                {
                    "codeRetour": 0,
                    "libelle": "GCU_MSG_01_000",
                    "numeroFluxDepot": f"FLUX-{len(FakeChorus.calls)}",
                },
            )
        return self._answer(404, {})

    def _answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def chorus_server():
    FakeChorus.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChorus)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    with override_settings(
        COMPTOIR_CHORUS_ENABLED=True,
        COMPTOIR_CHORUS_API_URL=url,
        COMPTOIR_CHORUS_OAUTH_URL=url + "/token",
        COMPTOIR_CHORUS_CLIENT_ID="cid",
        COMPTOIR_CHORUS_CLIENT_SECRET="secret",
        COMPTOIR_CHORUS_LOGIN="TECH_1@cpro.fr",
        COMPTOIR_CHORUS_PASSWORD="pw",
        COMPTOIR_CHORUS_TIMEOUT=5,
    ):
        yield url
    server.shutdown()
    server.server_close()


def test_export_zip_holds_the_waiting_files_once(facturx_invoice, picking_order):
    ordinary = picking_order()
    t.order_ship(order_id=ordinary.pk, pickup=True)
    content, numbers = chorus.chorus_export_zip()
    assert numbers == [facturx_invoice.number]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == [facturx_invoice.filename, "manifest.json"]
        assert archive.read(facturx_invoice.filename) == document_pdf(facturx_invoice)
    facturx_invoice.refresh_from_db()
    assert facturx_invoice.chorus_status == "exported"


def test_export_command_writes_a_folder(facturx_invoice, tmp_path):
    out = io.StringIO()
    call_command("chorus_export", str(tmp_path / "chorus"), stdout=out)
    assert (tmp_path / "chorus" / facturx_invoice.filename).read_bytes() == document_pdf(
        facturx_invoice
    )
    assert facturx_invoice.number in out.getvalue()


def test_deposit_through_the_api_records_the_flow(facturx_invoice, chorus_server):
    """Given a waiting Factur-X invoice and the API switched on, when the
    deposit runs (twice), then Chorus receives it once with our technical
    account, and the invoice is marked deposited with the flow number."""
    done = chorus.chorus_deposit_pending()
    chorus.chorus_deposit_pending()
    assert [d.number for d in done] == [facturx_invoice.number]
    [call] = FakeChorus.calls
    assert call["payload"]["nomFichier"] == facturx_invoice.filename
    assert call["payload"]["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX"
    assert base64.b64decode(call["payload"]["fichierFlux"]) == document_pdf(facturx_invoice)
    assert base64.b64decode(call["headers"]["cpro-account"]) == b"TECH_1@cpro.fr:pw"
    facturx_invoice.refresh_from_db()
    assert facturx_invoice.chorus_status == "deposited"
    assert facturx_invoice.chorus_flux_id == "FLUX-1" and facturx_invoice.chorus_deposited_at


def test_refused_deposit_keeps_the_invoice_waiting(facturx_invoice, chorus_server):
    with override_settings(COMPTOIR_CHORUS_CLIENT_ID="wrong"), pytest.raises(chorus.ChorusError):
        chorus.chorus_deposit_pending()
    facturx_invoice.refresh_from_db()
    assert facturx_invoice.chorus_status == "pending"


def test_api_is_off_by_default(facturx_invoice):
    with pytest.raises(chorus.ChorusError, match="COMPTOIR_CHORUS_ENABLED"):
        chorus.chorus_deposit_pending()

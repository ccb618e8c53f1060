"""A fake PayPal on 127.0.0.1 for tests: a small threaded HTTP server that
answers like the documented REST API (OAuth token, Orders v2, captures and
refunds, webhook signature verification), with the same shapes and error
names, so the real SDK talks to it.

Tests play the buyer and PayPal's back office with its methods: ``approve``
(the buyer pressed "Pay now"), ``declined`` / ``capture_amount`` (what the
next capture does), ``signed_event`` (a webhook PayPal would send, with
transmission headers that verify-webhook-signature accepts).
"""

import base64
import itertools
import json
import re
import secrets
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
WEBHOOK_ID = "8PT597110X687430LKGECATA"
UNPROCESSABLE = "The requested action could not be performed, semantically incorrect, or failed business validation."  # noqa: E501
_ids = itertools.count(1)


def _new_id(prefix: str = "") -> str:
    return (prefix + f"{next(_ids):04d}" + secrets.token_hex(8).upper())[:17]


class FakePayPal:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.fake = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.lock = threading.Lock()
        self.reset()

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.orders: dict[str, dict] = {}
            self.contexts: dict[str, dict] = {}  # order id → experience_context sent
            self.captures: dict[str, dict] = {}
            self.refunds: dict[str, dict] = {}
            self.tokens: set[str] = set()
            self.replies: dict[str, tuple[int, dict]] = {}  # PayPal-Request-Id → answer
            self.signatures: dict[str, dict] = {}  # transmission_sig → the event signed
            self.calls: list[tuple[str, str]] = []  # (method, path)
            self.verify_requests: list[bytes] = []  # raw bodies sent to verify-webhook-signature
            self.declined = False
            self.capture_amount: str | None = None
            self.capture_status = "COMPLETED"
            self.refund_status = "COMPLETED"

    # --- What the buyer and PayPal do ---------------------------------------------

    def approve(self, order_id: str, payer_id: str = "PAYERFAKE0001"):
        """The buyer logged in at PayPal and pressed "Pay now"."""
        with self.lock:
            order = self.orders[order_id]
            order["status"] = "APPROVED"
            order["payer"] = {
                "name": {"given_name": "Jeanne", "surname": "Martin"},
                "email_address": "buyer@example.com",
                "payer_id": payer_id,
                "address": {"country_code": "FR"},
            }

    def return_query(self, order_id: str) -> dict:
        """What PayPal appends to the return URL."""
        return {"token": order_id, "PayerID": self.orders[order_id]["payer"]["payer_id"]}

    def signed_event(self, event: dict, *, valid: bool = True) -> tuple[bytes, dict]:
        """The body and transmission headers of a webhook (as Django test
        client ``HTTP_`` keys); only a ``valid`` one verifies."""
        body = json.dumps(event).encode()
        signature = base64.b64encode(secrets.token_bytes(48)).decode()
        if valid:
            with self.lock:
                self.signatures[signature] = event
        headers = {
            "HTTP_PAYPAL_AUTH_ALGO": "SHA256withRSA",
            "HTTP_PAYPAL_CERT_URL": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
            "HTTP_PAYPAL_TRANSMISSION_ID": secrets.token_hex(16),
            "HTTP_PAYPAL_TRANSMISSION_SIG": signature,
            "HTTP_PAYPAL_TRANSMISSION_TIME": "2026-11-23T16:31:08Z",
        }
        return body, headers

    def event(self, event_type: str, resource: dict, *, resource_type: str) -> dict:
        event_id = "WH-" + _new_id() + "-" + _new_id()
        return {
            "id": event_id,
            "event_version": "1.0",
            "create_time": "2026-11-23T16:31:08.000Z",
            "resource_type": resource_type,
            "resource_version": "2.0",
            "event_type": event_type,
            "summary": f"{event_type} for {resource.get('id')}",
            "resource": resource,
            "links": [
                {
                    "href": f"{self.url}/v1/notifications/webhooks-events/{event_id}",
                    "rel": "self",
                    "method": "GET",
                }
            ],
        }

    def capture_event(self, order_id: str, event_type: str = "PAYMENT.CAPTURE.COMPLETED") -> dict:
        """The capture webhook for ``order_id``'s capture, as PayPal sends it."""
        capture = self._capture_of(order_id)
        if event_type != "PAYMENT.CAPTURE.COMPLETED":
            capture = {**capture, "status": "DECLINED"}
        return self.event(event_type, capture, resource_type="capture")

    def approved_event(self, order_id: str) -> dict:
        return self.event(
            "CHECKOUT.ORDER.APPROVED", self._order_view(order_id), resource_type="checkout-order"
        )

    def refunded_event(self, refund_id: str) -> dict:
        refund = {k: v for k, v in self.refunds[refund_id].items() if k != "capture_id"}
        return self.event("PAYMENT.CAPTURE.REFUNDED", refund, resource_type="refund")

    def refund_in_background(self, capture_id: str, value: str) -> str:
        """The merchant refunded in PayPal's dashboard: returns the refund id."""
        with self.lock:
            status, body = self._refund(capture_id, {"amount": {"value": value}})
        assert status == 201, body
        return body["id"]

    def capture_in_background(self, order_id: str, value: str | None = None) -> dict:
        """PayPal captured without us (e.g. a capture webhook for an order we
        never captured in this test): returns the capture."""
        with self.lock:
            order = self.orders[order_id]
            return self._capture(order, value or order["purchase_units"][0]["amount"]["value"])

    # --- State --------------------------------------------------------------------

    def _capture_of(self, order_id: str) -> dict:
        unit = self.orders[order_id]["purchase_units"][0]
        return unit["payments"]["captures"][-1]

    def _order_view(self, order_id: str) -> dict:
        order = json.loads(json.dumps(self.orders[order_id]))
        status = order["status"]
        links = [
            {"href": f"{self.url}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"}
        ]
        if status in ("CREATED", "PAYER_ACTION_REQUIRED"):
            links.append(
                {
                    "href": f"{self.url}/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                }
            )
        if status == "APPROVED":
            links.append(
                {
                    "href": f"{self.url}/v2/checkout/orders/{order_id}/capture",
                    "rel": "capture",
                    "method": "POST",
                }
            )
        order["links"] = links
        return order

    def _capture(self, order: dict, value: str) -> dict:
        unit = order["purchase_units"][0]
        capture_id = _new_id("C")
        capture = {
            "id": capture_id,
            "status": self.capture_status,
            "amount": {"currency_code": unit["amount"]["currency_code"], "value": value},
            "final_capture": True,
            "seller_protection": {
                "status": "ELIGIBLE",
                "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"],
            },
            "seller_receivable_breakdown": {
                "gross_amount": {"currency_code": unit["amount"]["currency_code"], "value": value},
                "paypal_fee": {"currency_code": unit["amount"]["currency_code"], "value": "0.65"},
                "net_amount": {
                    "currency_code": unit["amount"]["currency_code"],
                    "value": str(Decimal(value) - Decimal("0.65")),
                },
            },
            "custom_id": unit.get("custom_id", ""),
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "links": [
                {
                    "href": f"{self.url}/v2/payments/captures/{capture_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/v2/payments/captures/{capture_id}/refund",
                    "rel": "refund",
                    "method": "POST",
                },
                {
                    "href": f"{self.url}/v2/checkout/orders/{order['id']}",
                    "rel": "up",
                    "method": "GET",
                },
            ],
            "create_time": "2026-11-23T16:31:00Z",
            "update_time": "2026-11-23T16:31:00Z",
        }
        unit.setdefault("payments", {}).setdefault("captures", []).append(capture)
        order["status"] = "COMPLETED"
        self.captures[capture_id] = capture
        return capture

    def _refund(self, capture_id, data):
        fake = self
        capture = fake.captures[capture_id]
        gross = Decimal(capture["amount"]["value"])
        given = sum(
            (
                Decimal(r["amount"]["value"])
                for r in fake.refunds.values()
                if r["capture_id"] == capture_id
            ),
            start=Decimal("0"),
        )
        amount = (data.get("amount") or {}).get("value") or str(gross - given)
        if Decimal(amount) > gross - given:
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                UNPROCESSABLE,
                "REFUND_AMOUNT_EXCEEDED",
                "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",  # noqa: E501
            )
        refund_id = _new_id("R")
        currency = capture["amount"]["currency_code"]
        refund = {
            "id": refund_id,
            "amount": {"currency_code": currency, "value": amount},
            "seller_payable_breakdown": {
                "gross_amount": {"currency_code": currency, "value": amount},
                "net_amount": {"currency_code": currency, "value": amount},
            },
            "custom_id": data.get("custom_id", capture.get("custom_id", "")),
            "status": self.refund_status,
            "create_time": "2026-11-23T17:00:00Z",
            "links": [
                {
                    "href": f"{fake.url}/v2/payments/refunds/{refund_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{fake.url}/v2/payments/captures/{capture_id}",
                    "rel": "up",
                    "method": "GET",
                },
            ],
            "capture_id": capture_id,  # for the fake's sums; PayPal links it with "up"
        }
        fake.refunds[refund_id] = refund
        capture["status"] = "REFUNDED" if given + Decimal(amount) == gross else "PARTIALLY_REFUNDED"
        return 201, {k: v for k, v in refund.items() if k != "capture_id"}


def _error(status: int, name: str, message: str, issue: str = "", description: str = "", links=()):
    body = {"name": name, "message": message, "debug_id": secrets.token_hex(7)}
    if issue:
        body["details"] = [{"issue": issue, "description": description or issue}]
    body["links"] = list(links) or [
        {
            "href": f"https://developer.paypal.com/docs/api/orders/v2/#error-{issue or name}",
            "rel": "information_link",
            "method": "GET",
        }
    ]
    return status, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    @property
    def fake(self) -> FakePayPal:
        return self.server.fake

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        self.fake.calls.append((method, path))
        if path == "/v1/notifications/verify-webhook-signature":
            self.fake.verify_requests.append(raw)
        with self.fake.lock:
            status, body = self._answer(method, path, raw)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Paypal-Debug-Id", secrets.token_hex(7))
        self.end_headers()
        self.wfile.write(payload)

    def _answer(self, method, path, raw):
        fake = self.fake
        if (method, path) == ("POST", "/v1/oauth2/token"):
            return self._token()
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in fake.tokens:
            return 401, {
                "name": "AUTHENTICATION_FAILURE",
                "message": "Authentication failed due to invalid authentication credentials or a missing Authorization header.",  # noqa: E501
                "links": [],
            }
        request_id = self.headers.get("PayPal-Request-Id")
        if request_id and request_id in fake.replies:
            return fake.replies[request_id]
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return _error(
                400, "INVALID_REQUEST", "Request is not well-formed.", "MALFORMED_REQUEST_JSON"
            )
        answer = self._route(method, path, data)
        if request_id and answer[0] in (200, 201):
            fake.replies[request_id] = (200, answer[1])
        return answer

    def _route(self, method, path, data):
        fake = self.fake
        if (method, path) == ("POST", "/v2/checkout/orders"):
            return self._create_order(data)
        if (method, path) == ("POST", "/v1/notifications/verify-webhook-signature"):
            return self._verify(data)
        if match := re.fullmatch(r"/v2/checkout/orders/(\w+)(/capture)?", path):
            order_id, capture = match.groups()
            if order_id not in fake.orders:
                return _error(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "The specified resource does not exist.",
                    "INVALID_RESOURCE_ID",
                    "Specified resource ID does not exist. Please check the resource ID and try again.",  # noqa: E501
                )
            if method == "GET" and not capture:
                return 200, fake._order_view(order_id)
            if method == "POST" and capture:
                return self._capture(order_id)
        if match := re.fullmatch(r"/v2/payments/captures/(\w+)(/refund)?", path):
            capture_id, refund = match.groups()
            if capture_id not in fake.captures:
                return _error(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "The specified resource does not exist.",
                    "INVALID_RESOURCE_ID",
                )
            if method == "GET" and not refund:
                return 200, fake.captures[capture_id]
            if method == "POST" and refund:
                return fake._refund(capture_id, data)
        return _error(404, "NOT_FOUND", f"No route for {method} {path}")

    def _token(self):
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.headers.get("Authorization", "") != f"Basic {expected}":
            return 401, {
                "error": "invalid_client",
                "error_description": "Client Authentication failed",
            }
        token = "A21AA" + secrets.token_urlsafe(24)
        self.fake.tokens.add(token)
        return 200, {
            "scope": "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund",
            "access_token": token,
            "token_type": "Bearer",
            "app_id": "APP-80W284485P519543T",
            "expires_in": 32400,
            "nonce": "2026-11-23T16:00:00Z" + secrets.token_hex(8),
        }

    def _create_order(self, data):
        units = data.get("purchase_units") or []
        if data.get("intent") not in ("CAPTURE", "AUTHORIZE") or len(units) != 1:
            return _error(
                400,
                "INVALID_REQUEST",
                "Request is not well-formed, syntactically incorrect, or violates schema.",
                "MISSING_REQUIRED_PARAMETER",
            )
        amount = units[0].get("amount") or {}
        if not re.fullmatch(r"\d+(\.\d{2})?", str(amount.get("value", ""))) or not amount.get(
            "currency_code"
        ):
            return _error(
                400, "INVALID_REQUEST", "Request is not well-formed.", "INVALID_PARAMETER_VALUE"
            )
        context = ((data.get("payment_source") or {}).get("paypal") or {}).get(
            "experience_context"
        ) or {}
        order_id = _new_id()
        unit = {k: v for k, v in units[0].items() if k != "items"}
        unit.setdefault("reference_id", "default")
        unit["payee"] = {"email_address": "shop@example.com", "merchant_id": "FAKEMERCHANT1"}
        self.fake.orders[order_id] = {
            "id": order_id,
            "intent": data["intent"],
            "status": "PAYER_ACTION_REQUIRED" if context else "CREATED",
            "payment_source": {"paypal": {}},
            "purchase_units": [unit],
            "create_time": "2026-11-23T16:30:00Z",
        }
        self.fake.contexts[order_id] = context
        return 201, self.fake._order_view(order_id)

    def _capture(self, order_id):
        fake = self.fake
        order = fake.orders[order_id]
        if order["status"] == "COMPLETED":
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                UNPROCESSABLE,
                "ORDER_ALREADY_CAPTURED",
                "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
            )
        if order["status"] != "APPROVED":
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                UNPROCESSABLE,
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            )
        if fake.declined:
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                UNPROCESSABLE,
                "INSTRUMENT_DECLINED",
                "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",  # noqa: E501
                links=[
                    {
                        "href": f"{fake.url}/checkoutnow?token={order_id}",
                        "rel": "redirect",
                        "method": "GET",
                    },
                ],
            )
        fake._capture(order, fake.capture_amount or order["purchase_units"][0]["amount"]["value"])
        return 201, fake._order_view(order_id)

    def _verify(self, data):
        required = (
            "auth_algo",
            "cert_url",
            "transmission_id",
            "transmission_sig",
            "transmission_time",
            "webhook_id",
            "webhook_event",
        )
        if any(not data.get(name) for name in required):
            return _error(
                400, "VALIDATION_ERROR", "Invalid request - see details", "MISSING_REQUIRED_FIELD"
            )
        signed = self.fake.signatures.get(data["transmission_sig"])
        ok = (
            signed is not None
            and signed == data["webhook_event"]
            and data["webhook_id"] == WEBHOOK_ID
        )
        return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}


# --- Fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def _paypal_server():
    fake = FakePayPal().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_paypal(_paypal_server, settings):
    """The fake PayPal, emptied, with the settings pointing the provider at it."""
    _paypal_server.reset()
    settings.PAYPAL_API_BASE = _paypal_server.url
    settings.PAYPAL_CLIENT_ID = CLIENT_ID
    settings.PAYPAL_CLIENT_SECRET = CLIENT_SECRET
    settings.PAYPAL_WEBHOOK_ID = WEBHOOK_ID
    settings.PAYPAL_ENVIRONMENT = "sandbox"
    settings.COMPTOIR_BASE_URL = "http://testserver"
    if (
        "billing.payments.providers.paypal.PayPalProvider"
        not in settings.COMPTOIR_PAYMENT_PROVIDERS
    ):
        settings.COMPTOIR_PAYMENT_PROVIDERS = [
            *settings.COMPTOIR_PAYMENT_PROVIDERS,
            "billing.payments.providers.paypal.PayPalProvider",
        ]
    return _paypal_server

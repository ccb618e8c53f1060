"""localstripe (a stateful fake Stripe, GPL: run as a separate process,
never imported into the app) on 127.0.0.1, for the payments tests.

``python -m tests.fakes.localstripe`` serves it on a free loopback port and
prints the port; the ``localstripe`` session fixture starts it once, and
``stripe_env`` points the settings at it and empties it for each test.
"""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "sk_test_comptoir"
PUBLISHABLE_KEY = "pk_test_comptoir"
WEBHOOK_SECRET = "whsec_test_comptoir"


# localstripe's Stripe.js shim only completes 3-D Secure on an intent that
# already awaits it (its confirmCardPayment goes straight to
# `POST /v1/payment_intents/<id>/_authenticate`): an intent the browser
# confirms with the card typed in got "400 Bad request". Real Stripe.js first
# confirms the intent with the card (publishable key + client secret), and
# asks for 3-D Secure only when the bank wants it; the shim is served with
# that step added, and the fake gains the route it calls.
CONFIRM_PATH = "/_config/browser/payment_intents/{id}/confirm"
SHIM_CONFIRM_FIRST = (
    f"const CONFIRM_PATH = {CONFIRM_PATH!r};"
    + """
;(function () {
  'use strict';
  const fakeStripe = window.Stripe;
  window.Stripe = function (apiKey, options) {
    const stripe = fakeStripe(apiKey, options);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async function (clientSecret, data) {
      const element = data && data.payment_method && data.payment_method.card;
      if (element && element.value) {
        const intent = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
        const url = LOCALSTRIPE_BASE_API +
          CONFIRM_PATH.replace('{id}', intent);
        const response = await fetch(url, {
          method: 'POST',
          body: JSON.stringify({client_secret: clientSecret, card: element.value.card}),
        });
        const body = await response.json().catch(() => ({}));
        if (response.status !== 200 || body.error) {
          return {error: body.error || {message: 'HTTP ' + response.status}};
        }
        if (body.status !== 'requires_action') {
          return {paymentIntent: body};
        }
      }
      return authenticate(clientSecret, data);  // the 3-D Secure challenge
    };
    return stripe;
  };
})();
"""
)


def browser_routes(app) -> None:
    """Serve the shim with the confirmation step, and that step's route."""
    import localstripe
    from aiohttp import web
    from localstripe.errors import UserError
    from localstripe.resources import PaymentIntent, PaymentMethod

    shim = Path(localstripe.__file__).with_name("localstripe-v3.js").read_text()

    @web.middleware
    async def confirm_first_shim(request, handler):
        if request.method == "GET" and request.path == "/js.stripe.com/v3/":
            return web.Response(
                text=shim + SHIM_CONFIRM_FIRST, content_type="application/javascript"
            )
        return await handler(request)

    async def confirm_from_browser(request):
        data = await request.json()
        intent = PaymentIntent._api_retrieve(request.match_info["id"])
        if data.get("client_secret") != intent.client_secret:
            raise UserError(401, "Unauthorized")
        card = {key: str((data.get("card") or {}).get(key, "")) for key in CARD_FIELDS}
        card["number"] = card["number"].replace(" ", "")
        if intent.status in ("requires_payment_method", "requires_confirmation"):
            method = PaymentMethod._api_create(type="card", card=card)
            intent.payment_method = method.id
            intent._confirm(on_failure_now=intent._report_failure)
        return web.json_response(intent._export())  # CORS: localstripe adds it

    app.middlewares.insert(0, confirm_first_shim)
    app.router.add_post(CONFIRM_PATH, confirm_from_browser)


CARD_FIELDS = ("number", "exp_month", "exp_year", "cvc")


def serve() -> None:
    from aiohttp import web
    from localstripe.resources import store
    from localstripe.server import app

    # It pickles its whole state to one fixed /tmp file after each write:
    # several test runs on one machine would share it. Keep it in memory.
    type(store).dump_to_disk = lambda self: None
    store.clear()
    browser_routes(app)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    web.run_app(app, sock=sock, print=None, access_log=None)


class LocalStripe:
    """The running fake, and what a test does in place of a browser."""

    def __init__(self, url: str):
        self.url = url

    def reset(self) -> None:
        requests.delete(f"{self.url}/_config/data", timeout=5).raise_for_status()

    @property
    def client(self):
        import stripe

        return stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": self.url}, max_network_retries=0
        )

    def confirm(self, intent_id: str, payment_method: str = "pm_card_visa"):
        """What Stripe.js does with the card element: attach the card, confirm.
        A declined card raises stripe.CardError."""
        intents = self.client.v1.payment_intents
        intents.update(intent_id, params={"payment_method": payment_method})
        return intents.confirm(intent_id)

    def intent(self, intent_id: str):
        return self.client.v1.payment_intents.retrieve(intent_id)

    def signed(self, event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
        """The body and Stripe-Signature header Stripe would send."""
        body = json.dumps(event)
        ts = int(time.time()) if timestamp is None else timestamp
        digest = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
        return body, f"t={ts},v1={digest}"

    def event(self, event_type: str, intent_id: str, event_id: str) -> dict:
        """A webhook event carrying the intent as localstripe has it now."""
        return {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "api_version": "2025-01-27.acacia",
            "data": {"object": self.intent(intent_id).to_dict()},
        }


@pytest.fixture(scope="session")
def localstripe():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.localstripe"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        server = LocalStripe(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                server.reset()
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def stripe_env(localstripe, settings):
    """Stripe configured and pointed at an empty localstripe."""
    localstripe.reset()
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT = 10
    return localstripe


if __name__ == "__main__":
    serve()

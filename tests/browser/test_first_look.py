"""`make run`'s first look pays by card, in Chromium, against the shop as
`scripts/run.sh` starts it: shop.settings.dev, the embedded default (no
Redis), no Stripe keys, so run.sh itself starts localstripe on 127.0.0.1
and points the card payment at it; its Celery worker and beat run beside.

4242 4242 4242 4242 pays without a challenge (it used to end in "Bad
request": the fake Stripe.js went straight to 3-D Secure on an intent that
had no card yet); 4000 0027 6000 3184 goes through its challenge."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from orders.services import transitions as t
from tests.browser.test_card_payment import CARD, THREE_D_SECURE_CARD, type_card
from tests.factories import make_order, make_product
from tests.test_celery import database_url_for_subprocess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_run(tmp_path):
    """Start `scripts/run.sh` on a free port with what `make run` has: no
    Stripe, PayPal or Redis settings (a local .env is ignored), the
    development settings, and the test's database. Yields the shop's URL."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STRIPE_", "PAYPAL_", "DJANGO_SETTINGS_MODULE", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.dev",
        COMPTOIR_ENV_FILE=str(tmp_path / "no.env"),
        COMPTOIR_VAR_DIR=str(tmp_path),
        DATABASE_URL=database_url_for_subprocess(tmp_path),
        REDIS_URL="",
    )
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh", "127.0.0.1", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(url + "/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            pytest.fail(f"run.sh did not serve {url}:\n{log.read_text()}")
        assert "Fake Stripe (localstripe) on http://127.0.0.1:" in log.read_text()
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def two_card_orders(django_user_model):
    """A customer with two reserved card orders, signed in (the session is
    in the database the shop reads)."""
    customer = django_user_model.objects.create_user("alice", "alice@example.com", "pw")
    orders = [make_order(lines=[(make_product(price="10.00"), 2)], user=customer) for _ in range(2)]
    for order in orders:
        t.order_reserve(order_id=order.pk)
    client = Client()
    client.force_login(customer)
    return orders, client.cookies["sessionid"].value


def test_make_run_pays_by_card_with_and_without_3d_secure(
    two_card_orders, make_run, page, artifacts_dir
):
    (plain, secure), session = two_card_orders
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": make_run}])
    for order, card in ((plain, CARD), (secure, THREE_D_SECURE_CARD)):
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("customer:order", kwargs={"order_number": order.number})
        page.goto(make_run + path)
        page.click(".order-payments__pay")
        expect(page.locator("#card-element input").first).to_be_visible()
        type_card(page, card)
        page.click("#pay-submit")
        if card == THREE_D_SECURE_CARD:
            page.click("text=Complete authentication")
        expect(page.locator(".alert-success")).to_contain_text("24,00")
        expect(page.locator(".order-payments__pay")).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / f"first-look-paid-{card[:4]}.png"), full_page=True)

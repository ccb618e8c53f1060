"""The shape of the code (ARCHITECTURE.md): import contracts, settings free of
app code, one beat schedule, and the order admin extended without importing
billing's admin."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from celery import Celery
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from orders.statuses import OrderStatus
from shop.beat import beat_schedule
from tests.factories import make_order, make_product

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_import_contracts_are_kept():
    """Given the contracts in pyproject.toml (layers, core imports no app,
    settings import no app code), when lint-imports runs, then all are kept."""
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)
    assert kept and int(kept.group(1)) == len(contracts()), result.stdout


def test_every_module_of_shop_has_a_layer():
    """shop/ is split between the top layer and the one above core: a new
    module in shop/ must be placed in one, or the layers would not see it."""
    layered = {
        name.strip()
        for layer in contracts()["layers"]["layers"]
        for name in layer.split(":")
        if name.strip().startswith("shop.")
    }
    graph = grimp.build_graph("shop")
    children = graph.find_children("shop")
    assert children, "grimp found no module in shop/"
    assert children <= layered, sorted(children - layered)


def test_settings_name_the_initial_status_and_the_pipeline_is_on_the_model():
    """Settings import no app code, so they spell the initial status; the
    order model carries Oscar's pipeline: every state, and no move Oscar's
    dashboard could make."""
    order_model = get_model("order", "Order")
    assert settings.OSCAR_INITIAL_ORDER_STATUS == OrderStatus.NEW
    assert order_model.pipeline == {status: [] for status in OrderStatus.values}
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")


def test_every_beat_entry_names_a_registered_task():
    """Given the schedule in shop/beat.py, when a worker has imported the
    tasks of every app, then each entry names one of them, and the Celery
    app reads that schedule."""
    from shop.celery import app as shop_app

    app = Celery("beat-test", set_as_current=False)
    # What autodiscovery imports: each app's tasks module.
    for module in ("core", "shop", "orders", "procurement", "billing", "returns"):
        __import__(f"{module}.tasks")
    app.finalize()
    schedule = beat_schedule()
    assert schedule
    missing = {
        name: entry["task"] for name, entry in schedule.items() if entry["task"] not in app.tasks
    }
    assert not missing
    assert set(shop_app.conf.beat_schedule) == set(schedule)
    assert schedule["housekeeping"]["schedule"] == settings.HOUSEKEEPING_INTERVAL


@pytest.mark.django_db
def test_billing_adds_its_parts_to_the_order_admin_page(admin_client):
    """Given an order in picking, when staff open its admin page, then
    billing's parts are there (payments summary in the Payment fieldset,
    payments and documents inlines, document buttons), though the order
    admin imports nothing of billing."""
    order = make_order(lines=[(make_product(), 1)], status=OrderStatus.PICKING)
    html = admin_client.get(reverse("admin:order_order_change", args=[order.pk])).content.decode()
    assert 'class="payments-summary"' in html
    assert reverse("admin:billing_payment_record", args=[order.pk]) in html
    assert reverse("admin:billing_document_for_order", args=[order.pk, "delivery_note"]) in html
    assert 'id="payments-group"' in html and 'id="documents-group"' in html
    source = (ROOT / "orders" / "admin.py").read_text()
    assert "billing" not in re.sub(r'""".*?"""', "", source, flags=re.S)

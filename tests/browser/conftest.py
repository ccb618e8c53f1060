"""Browser tests: Playwright drives Debian's headless Chromium against
pytest-django's live server. Never `playwright install`: scripts/system-deps.sh
installs the `chromium` package."""

import os
from pathlib import Path

import pytest

from tests.fakes.localstripe import localstripe, stripe_env  # noqa: F401 (card payment fixtures)

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/system-deps.sh)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots land in test-artifacts/ (git ignores it)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def page(page):
    """Every page fails fast instead of waiting Playwright's 30 s default."""
    page.set_default_timeout(10_000)
    return page

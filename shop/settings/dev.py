"""The embedded default: a first look on a bare machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# --- Security (issue 12): `make run` reports CSP violations in the browser's
# console without blocking anything; production and the tests enforce it.
from .base import CONTENT_SECURITY_POLICY  # noqa: E402

CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY = None

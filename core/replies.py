"""The Reply-To of an email about something (an order, a quote request, a
conversation): ``reply+<token>@<COMPTOIR_REPLY_DOMAIN>``, where the token
names the object ("order-order-42") and carries an HMAC of it, so that an
address can be neither guessed nor forged. core imports no app: the apps
above say which kinds of object take replies (``reply_register``, in their
AppConfig.ready) and what a reply to one becomes; here is only the address.

Lower case only (some providers lower-case the local part), 64 characters
at most (RFC 5321's local part)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "comptoir.replies"
# 80 bits of HMAC-SHA256: out of reach of guessing through a webhook.
MAC_LENGTH = 20
PREFIX = "reply+"
_TOKEN = re.compile(r"^([a-z0-9_]+)-([a-z0-9_]+)-(\d{1,12})-([0-9a-f]{" + str(MAC_LENGTH) + "})$")

# The model labels ("order.order") whose emails carry a Reply-To.
_repliable: set[str] = set()


def reply_register(label: str) -> None:
    """``reply_register("order.order")``: emails about an order carry a
    Reply-To leading back to it."""
    _repliable.add(label.lower())


def _mac(label: str, pk: str) -> str:
    return salted_hmac(SALT, f"{label}:{pk}", algorithm="sha256").hexdigest()[:MAC_LENGTH]


def reply_token(label: str, pk: int | str) -> str:
    """The signed token of ``label`` (``app_label.model``) and ``pk``."""
    app_label, model = label.lower().split(".")
    return f"{app_label}-{model}-{pk}-{_mac(f'{app_label}.{model}', str(pk))}"


def reply_address_for_ref(ref: str) -> str:
    """The Reply-To for an outbox ``topic`` (``"order.order:42"``), or ""
    when that kind takes no replies or no reply domain is set."""
    domain = getattr(settings, "COMPTOIR_REPLY_DOMAIN", "")
    label, _, pk = (ref or "").partition(":")
    if not (domain and pk and label.lower() in _repliable):
        return ""
    return f"{PREFIX}{reply_token(label, pk)}@{domain}"


def reply_address(obj: Model) -> str:
    """The Reply-To for emails about ``obj`` ("" when it takes no replies)."""
    return reply_address_for_ref(f"{obj._meta.label_lower}:{obj.pk}")


@dataclass(frozen=True)
class ReplyTarget:
    label: str
    pk: int


def reply_target(address: str) -> ReplyTarget | None:
    """What a reply address names, when its signature holds and its domain
    is ours; None for any other address (unknown, tampered, another domain)."""
    domain = getattr(settings, "COMPTOIR_REPLY_DOMAIN", "")
    local, _, host = (address or "").strip().lower().rpartition("@")
    if not domain or host != domain.lower() or not local.startswith(PREFIX):
        return None
    match = _TOKEN.match(local.removeprefix(PREFIX))
    if match is None:
        return None
    app_label, model, pk, mac = match.groups()
    label = f"{app_label}.{model}"
    if label not in _repliable or not constant_time_compare(mac, _mac(label, pk)):
        return None
    return ReplyTarget(label, int(pk))

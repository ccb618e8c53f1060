"""A return's states and the only moves between them, its reasons, and a
claim's states. Kept free of model imports: models, forms and the admin
read it (like orders/statuses.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


# Each kind its own labels (msgctxt "return status" / "claim status"):
# French agrees in gender (un retour accepté, une réclamation remboursée).
class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("return status", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("return status", "Accepted")
    REFUSED = "refused", pgettext_lazy("return status", "Refused")
    IN_TRANSIT = "in_transit", pgettext_lazy("return status", "On its way back")
    RECEIVED = "received", pgettext_lazy("return status", "Received")
    INSPECTED = "inspected", pgettext_lazy("return status", "Inspected")
    REFUNDED = "refunded", pgettext_lazy("return status", "Refunded")
    EXCHANGED = "exchanged", pgettext_lazy("return status", "Exchanged")
    REJECTED = "rejected", pgettext_lazy("return status", "Rejected after inspection")


S = ReturnStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.ACCEPTED, S.REFUSED}),
    # A parcel may arrive before the customer typed its tracking number.
    S.ACCEPTED: frozenset({S.IN_TRANSIT, S.RECEIVED}),
    S.REFUSED: frozenset(),
    S.IN_TRANSIT: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.INSPECTED}),
    S.INSPECTED: frozenset({S.REFUNDED, S.EXCHANGED, S.REJECTED}),
    S.REFUNDED: frozenset(),
    S.EXCHANGED: frozenset(),
    S.REJECTED: frozenset(),
}

# The units of these returns are taken: a new return cannot ask for them again.
HOLDING = frozenset(
    {S.REQUESTED, S.ACCEPTED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED, S.REFUNDED, S.EXCHANGED}
)
# Still to be refunded (the 7-business-day promise runs from receipt).
AWAITING_REFUND = frozenset({S.RECEIVED, S.INSPECTED})
# The customer may download the slip and give the tracking number.
SLIP_STATES = frozenset({S.ACCEPTED, S.IN_TRANSIT})


class ReturnReason(models.TextChoices):
    DEFECT = "defect", _("Functional defect not caused by use")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    DAMAGED = "damaged", _("Damaged in transport")
    WITHDRAWAL = "withdrawal", _("Withdrawal (change of mind, within 14 days)")


# Reasons under the legal guarantee of conformity: goods excluded from
# returns (activated software, custom-sourced items) are still taken back.
CONFORMITY_REASONS = frozenset(
    {ReturnReason.DEFECT, ReturnReason.NOT_AS_DESCRIBED, ReturnReason.DAMAGED}
)


class ClaimStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("claim status", "Open")
    REPLACED = "replaced", pgettext_lazy("claim status", "Replacement sent")
    REFUNDED = "refunded", pgettext_lazy("claim status", "Refunded")
    REFUSED = "refused", pgettext_lazy("claim status", "Refused")


class ClaimKind(models.TextChoices):
    DAMAGED = "damaged", _("Damaged on arrival")
    MISSING = "missing", _("Missing item or parcel")


CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.OPEN: frozenset({ClaimStatus.REPLACED, ClaimStatus.REFUNDED, ClaimStatus.REFUSED}),
    ClaimStatus.REPLACED: frozenset(),
    ClaimStatus.REFUNDED: frozenset(),
    ClaimStatus.REFUSED: frozenset(),
}

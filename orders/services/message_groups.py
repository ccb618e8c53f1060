"""Which messages a change writes: moves made together in one transaction
(placing: reserved then in progress; a payment: in progress then picking;
an edit: new then reserved again) give the customer ONE email (and one
SMS), about where the order stands at the end, not one per move.

Only the choice of messages lives here; writing and sending them is the
outbox's (``notifications.notifications_queue``). The messages of a move are
rendered when sent, from its transition, so keeping the last move's is
enough: it says the latest state and what happens next.
"""

from django.db import connection


def _transaction_registry() -> dict[int, list[str]] | None:
    """A dict living exactly as long as the current outermost transaction
    (the test case's own atomic blocks do not count), or None outside one."""
    # Read and written through the blocks' attributes: ``_from_testcase`` is
    # private to Django's Atomic, which django-stubs does not declare.
    blocks = [block for block in connection.atomic_blocks if not vars(block)["_from_testcase"]]
    if not blocks:
        return None
    registry: dict[int, list[str]] = vars(blocks[0]).setdefault("_comptoir_order_messages", {})
    return registry


def messages_superseded(order_id: int, new_keys: list[str]) -> list[str]:
    """Record ``new_keys`` (dedupe keys) as the order's messages in this
    transaction, and return the keys of the messages written earlier in the
    same transaction for the same order, which the new ones replace."""
    registry = _transaction_registry()
    if registry is None:
        return []
    earlier = registry.get(order_id, [])
    registry[order_id] = list(new_keys)
    return earlier

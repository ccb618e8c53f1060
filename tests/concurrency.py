"""Races between database connections, for the tests that need them (stock
reservations, payments, document numbers): rows must be committed, so those
tests use ``django_db(transaction=True)``."""

import threading
from collections.abc import Callable, Sequence

from django.db import close_old_connections, connection


def run_together(
    functions: Sequence[Callable[[], object]],
    *,
    expected: tuple[type[Exception], ...] = (),
    timeout: float = 60,
) -> None:
    """Start every function at once, each in its own thread and connection;
    re-raise in the test what any raised, except the ``expected`` errors."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def worker(function):
        try:
            barrier.wait()
            function()
        except expected:
            pass
        except Exception as exc:  # collected and re-raised in the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    close_old_connections()
    assert not errors, errors

"""pages.py's pages, timed the same way, without writing to the database.

    cd bench/scale && PGOPTIONS='-c default_transaction_read_only=on' \
        ../../.venv/bin/python pages_readonly.py 7 [label prefix...]

pages.py signs its clients in with ``force_login``, which writes: a session
row (``core.sessions``, cached_db), the user's ``last_login``, an axes access
log; and Oscar's basket middleware creates an open basket for a signed-in
customer who has none. On a data set shared read-only, this script runs the
account and admin pages (those whose label starts with a prefix given) with
every transaction read-only (PGOPTIONS: any write is an error, not a
change), sessions in signed cookies, the two login receivers disconnected,
and an unsaved basket for a customer without one (one query fewer than
pages.py: no basket lines to read). Prints each page's queries, SQL ms,
CPU ms, p50 and p90; with SHOW_SQL=1, each query and its time.
"""

import os
import sys

from common import setup_django, timed_get


def main(runs: int, prefixes: list[str]) -> None:
    if "default_transaction_read_only=on" not in os.environ.get("PGOPTIONS", ""):
        raise SystemExit("Set PGOPTIONS='-c default_transaction_read_only=on'.")
    setup_django()
    import pages as bench_pages
    from axes.signals import handle_user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment
    from oscar.core.loading import get_model

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.disconnect(handle_user_logged_in)
    Basket = get_model("basket", "Basket")

    def get_or_create(manager, **fields):
        found = manager.filter(**fields).first()
        return (found, False) if found else (Basket(**fields), True)

    type(Basket.open).get_or_create = get_or_create
    setup_test_environment()
    print(
        f"database: {connection.settings_dict['NAME']}, read-only, no cache, {runs} runs a page,"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    with override_settings(
        CACHES=bench_pages.NO_CACHE,
        ALLOWED_HOSTS=["127.0.0.1"],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    ):
        _storefront, account, admin = bench_pages.pages()
        print(
            f"{'page':<34} {'queries':>7} {'SQL ms':>7} {'CPU ms':>7} {'p50 ms':>8} {'p90 ms':>8}"
        )
        for label, path, client in account + admin:
            if prefixes and not any(label.startswith(prefix) for prefix in prefixes):
                continue
            row = timed_get(client, path, runs=runs)
            print(
                f"{label:<34} {row['queries']:>7} {sum(row['sql_ms']):>7.1f}"
                f" {row['cpu_p50']:>7.1f} {row['p50']:>8.1f} {row['p90']:>8.1f}",
                flush=True,
            )
            if os.environ.get("SHOW_SQL"):
                for sql, ms in zip(row["sql"], row["sql_ms"], strict=True):
                    print(f"  {ms:7.1f} ms  {sql[:240]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15, sys.argv[2:])

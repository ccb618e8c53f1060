"""Writes the CII XML (and PDF) of the three documents CI checks with CEN's
EN 16931 Schematron into a folder (default test-artifacts/en16931):

    .venv/bin/python scripts/en16931_samples.py [FOLDER]

They are made through the real services (tests/documents/en16931_samples.py)
on the test database (the one ``make test`` keeps, created and migrated
when missing), inside a transaction rolled back at the end: the database
is left as it was. The database comes from DATABASE_URL, as for the tests.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _RolledBack(Exception):
    pass


def main(folder: Path) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    from tests.documents.en16931_samples import build_samples

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    paths = {}
    try:
        with transaction.atomic():
            paths = build_samples(folder)
            raise _RolledBack
    except _RolledBack:
        pass
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0 if paths else 1


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "en16931"
    sys.exit(main(target))

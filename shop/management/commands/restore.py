"""`manage.py restore FOLDER`: a backup into an empty database and the
files' folders (shop/management/backup.py)."""

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shop.management.backup import BackupError, Target, backup_restore


class Command(BaseCommand):
    help = "Restore a backup (from `manage.py backup`) into an empty database."
    requires_system_checks = []  # the target database is empty until restored

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the backup's folder (comptoir-YYYYMMDD-HHMMSS)")
        parser.add_argument(
            "--database-url", help="restore into this database instead of DATABASE_URL's"
        )
        parser.add_argument("--media-root", help="instead of MEDIA_ROOT")
        parser.add_argument("--private-root", help="instead of COMPTOIR_PRIVATE_ROOT")

    def handle(self, *args, **options):
        database = (
            environ.Env.db_url_config(options["database_url"])
            if options["database_url"]
            else connection.settings_dict
        )
        target = Target(
            database=database,
            media_root=Path(options["media_root"] or settings.MEDIA_ROOT),
            private_root=Path(options["private_root"] or settings.COMPTOIR_PRIVATE_ROOT),
        )
        try:
            manifest = backup_restore(folder=Path(options["folder"]), target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counted = ", ".join(f"{table} {n}" for table, n in manifest["counts"].items())
        self.stdout.write(f"Restored the backup of {manifest['created_at']} ({counted}).")

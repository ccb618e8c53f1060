"""`manage.py backup [--to DIR]`: the database and the files, in one dated
folder (shop/management/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shop.management.backup import BackupError, Target, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) and the files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", help="folder receiving the dated backup (default: COMPTOIR_BACKUP_DIR)"
        )

    def handle(self, *args, **options):
        source = Target(
            database=connection.settings_dict,
            media_root=Path(settings.MEDIA_ROOT),
            private_root=Path(settings.COMPTOIR_PRIVATE_ROOT),
        )
        try:
            folder = backup_create(
                source=source, root=Path(options["to"] or settings.COMPTOIR_BACKUP_DIR)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))

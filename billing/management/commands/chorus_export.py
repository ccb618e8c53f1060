"""Export the Factur-X invoices and credit notes waiting for Chorus Pro."""

from pathlib import Path

from django.core.management.base import BaseCommand

from billing.documents import chorus


class Command(BaseCommand):
    help = "Write the Factur-X files waiting for Chorus Pro deposit into a folder or a zip."

    def add_arguments(self, parser):
        parser.add_argument("output", help="A folder, or a file name ending in .zip")
        parser.add_argument(
            "--deposit",
            action="store_true",
            help="Deposit them through the Chorus Pro API instead (COMPTOIR_CHORUS_ENABLED).",
        )

    def handle(self, output, deposit=False, **options):
        if deposit:
            done = chorus.chorus_deposit_pending()
            for document in done:
                self.stdout.write(f"{document.number}: flow {document.chorus_flux_id}")
            return
        target = Path(output)
        if target.suffix == ".zip":
            content, numbers = chorus.chorus_export_zip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        else:
            numbers = chorus.chorus_export_folder(folder=target)
        for number in numbers:
            self.stdout.write(number)
        self.stdout.write(self.style.SUCCESS(f"{len(numbers)} file(s) exported to {target}"))

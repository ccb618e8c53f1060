"""Export the Factur-X invoices and credit notes waiting for Chorus Pro."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.documents import chorus
from billing.documents.exceptions import DocumentTampered


class Command(BaseCommand):
    help = (
        "Write the Factur-X files not yet exported for Chorus Pro into a folder or a zip, "
        "with a manifest (files and SHA-256). Each file is exported once: a second run "
        "exports nothing new unless asked (--again, --document)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="A folder, or a file name ending in .zip")
        parser.add_argument(
            "--again",
            action="store_true",
            help="Also export again the files already exported and not yet deposited.",
        )
        parser.add_argument(
            "--document",
            action="append",
            dest="numbers",
            metavar="NUMBER",
            help="Export this document (repeatable), whether exported before or not.",
        )
        parser.add_argument(
            "--deposit",
            action="store_true",
            help="Deposit them through the Chorus Pro API instead (COMPTOIR_CHORUS_ENABLED).",
        )

    def handle(self, output, deposit=False, again=False, numbers=None, **options):
        if deposit:
            done = chorus.chorus_deposit_pending()
            for document in done:
                self.stdout.write(f"{document.number}: flow {document.chorus_flux_id}")
            return
        target = Path(output)
        try:
            if target.suffix == ".zip":
                content, exported = chorus.chorus_export_zip(numbers=numbers, again=again)
                if exported:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
            else:
                exported = chorus.chorus_export_folder(folder=target, numbers=numbers, again=again)
        except DocumentTampered as exc:
            raise CommandError(str(exc)) from exc
        if numbers:
            missing = sorted(set(numbers) - set(exported))
            if missing:
                self.stderr.write(f"Not Factur-X documents (or unknown): {', '.join(missing)}")
        for number in exported:
            self.stdout.write(number)
        if not exported:
            self.stdout.write("Nothing new to export (use --again or --document to export again).")
            return
        self.stdout.write(self.style.SUCCESS(f"{len(exported)} file(s) exported to {target}"))

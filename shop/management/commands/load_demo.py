import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.demo.loader import demo_load
from shop.demo.users import demo_logins_write


class Command(BaseCommand):
    help = (
        "Load the demo catalogue, accounts, orders and quote requests. "
        "Safe to run again: creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo staff account is a superuser with a "
            "published password: never on a public site.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo creates a superuser "
                "with a known password. Use --force if you really mean it."
            )
        started = time.monotonic()
        counts = demo_load()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {elapsed:.1f} s: {counts['products']} products "
                f"({counts['products_created']} new) in {counts['categories']} categories, "
                f"{counts['images_drawn']} pictures drawn, "
                f"{counts['users_created']} accounts, {counts['entities_created']} organisations, "
                f"{counts['orders_created']} orders and {counts['requests_created']} quote "
                "requests created."
            )
        )
        demo_logins_write(self.stdout, self.style)

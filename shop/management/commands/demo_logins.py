from django.core.management.base import BaseCommand

from shop.demo.users import demo_logins_write


class Command(BaseCommand):
    help = "Print the demo accounts and their passwords."

    def handle(self, *args, **options):
        demo_logins_write(self.stdout, self.style)

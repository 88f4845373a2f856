from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue import demo as catalogue_demo
from catalogue import demo_roles
from catalogue.demo_pages import build_catalogue_pages
from home import demo


class Command(BaseCommand):
    help = "Builds the fictional Landkreis Lindenau with its strategy and catalogue. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.ensure_admin()
            demo.build_home()
            catalogue_demo.build_catalogue(stdout=self.stdout)
            strategy = demo.build_strategy(stdout=self.stdout)
            build_catalogue_pages(strategy.get_parent().specific, strategy)
            demo_roles.build_roles(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content for Landkreis Lindenau is ready."))
        self.stdout.write(
            f"Admin login: http://127.0.0.1:8000/admin/  user: {demo.ADMIN_USERNAME}  password: {demo.ADMIN_PASSWORD}"
        )

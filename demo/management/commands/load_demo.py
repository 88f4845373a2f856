from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from demo.builders import budget as budget_demo
from demo.builders import catalogue as catalogue_demo
from demo.builders import home as demo
from demo.builders import opendata as demo_opendata
from demo.builders import roles as demo_roles
from demo.builders.pages import build_catalogue_pages


class Command(BaseCommand):
    help = "Builds the fictional Landkreis Lindenau with its strategy and catalogue. Safe to run again."

    def handle(self, *args, **options):
        # Every demo object is saved several times (create, relations, revision, publish); the
        # reference index is rebuilt once at the end instead of after each save.
        with transaction.atomic(), disable_reference_index_auto_update():
            demo.ensure_admin()
            demo.build_home()
            catalogue_demo.build_catalogue(stdout=self.stdout)
            strategy = demo.build_strategy(stdout=self.stdout)
            catalogue = build_catalogue_pages(strategy.get_parent().specific, strategy)
            demo.link_home_to_strategy_and_catalogue(strategy, catalogue)
            demo_roles.build_roles(stdout=self.stdout)
            budget_demo.build_budget(stdout=self.stdout)
            demo_opendata.build_open_data(stdout=self.stdout)
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content for Landkreis Lindenau is ready."))
        self.stdout.write(
            f"Admin login: http://127.0.0.1:8000/admin/  user: {demo.ADMIN_USERNAME}  password: {demo.ADMIN_PASSWORD}"
        )

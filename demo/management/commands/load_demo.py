from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from demo.builders import accessibility as accessibility_demo
from demo.builders import budget as budget_demo
from demo.builders import catalogue as catalogue_demo
from demo.builders import home as demo
from demo.builders import home_overview as home_overview_demo
from demo.builders import imports as demo_imports
from demo.builders import opendata as demo_opendata
from demo.builders import participation as participation_demo
from demo.builders import reporting as reporting_demo
from demo.builders import roles as demo_roles
from demo.builders.pages import build_catalogue_pages
from demo.indexing import search_index_rebuilt_once
from demo.progress import Progress, login_box
from participation.changes import record_changes

STEPS = 12


class Notes(list[str]):
    """Collects what the builders report, so the summary and the logins come after the progress bar."""

    def write(self, text: str) -> None:
        self.append(text)


class Command(BaseCommand):
    help = "Builds the fictional Landkreis Lindenau with its strategy and catalogue. Safe to run again."
    # The system checks (half a second) ran with `migrate` just before, and run again with the
    # server; a data loader does not need a third run (`make run`, `make demo`).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="http://127.0.0.1:8000", help="Address printed with the logins.")
        parser.add_argument("--logins-file", help="Write the logins there instead of printing them (`make run`).")

    def handle(self, *args, host, logins_file=None, **options):
        notes = Notes()
        progress = Progress(STEPS, self.stdout, "Demo ")
        # Every demo object is saved several times (create, relations, revision, publish); the
        # reference and search indexes are rebuilt once at the end instead of after each save.
        with search_index_rebuilt_once(), transaction.atomic(), disable_reference_index_auto_update():
            demo.ensure_admin()
            demo.build_home()
            progress.advance(1, "Startseite")
            catalogue_demo.build_catalogue(stdout=notes)
            progress.advance(1, "Projektkatalog")
            strategy = demo.build_strategy(stdout=notes)
            progress.advance(1, "Zukunftsprofil")
            catalogue = build_catalogue_pages(strategy.get_parent().specific, strategy)
            demo.link_home_to_strategy_and_catalogue(strategy, catalogue)
            home_overview_demo.build_home_overview(stdout=notes)
            progress.advance(1, "Katalogseiten")
            demo_roles.build_roles(stdout=notes)
            progress.advance(1, "Rollen und Freigaben")
            accessibility_demo.build_accessibility(stdout=notes)
            progress.advance(1, "Barrierefreiheit")
            demo_imports.build_imports(stdout=notes)
            progress.advance(1, "Import")
            budget_demo.build_budget(stdout=notes)
            progress.advance(1, "Haushalt")
            demo_opendata.build_open_data(stdout=notes)
            progress.advance(1, "Offene Daten")
            participation_demo.build_participation(strategy.get_parent().specific, strategy, stdout=notes)
            progress.advance(1, "Beteiligung")
            reporting_demo.build_reporting(strategy.get_parent().specific, stdout=notes)
            # The digests' first note of the entries, once all of them exist (the reports step adds
            # some): taken before that step, a second run found those as changes.
            record_changes()
            progress.advance(1, "Berichte")
        call_command("rebuild_references_index", verbosity=0)
        progress.advance(1, "Verweise")
        summary = [note for note in notes if not note.startswith("Demo ")]
        logins = [note for note in notes if note.startswith("Demo ")]
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo content for Landkreis Lindenau is ready."))
        box = login_box(
            [
                f"Site:  {host}/   Admin: {host}/admin/",
                f"Admin login: user: {demo.ADMIN_USERNAME}  password: {demo.ADMIN_PASSWORD}",
                *logins,
            ]
        )
        if logins_file:
            Path(logins_file).write_text(box + "\n", encoding="utf-8")
        else:
            self.stdout.write(box)

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cms import schema_snapshot


class Command(BaseCommand):
    help = (
        "The SQLite schema snapshot (cms/schema/sqlite.sql): --write regenerates it from a real migrate, "
        "--check fails when it is out of date, --migrate loads it into a new SQLite database, then migrates as usual."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--write", action="store_true", help="Regenerate the snapshot from a real migrate.")
        action.add_argument("--check", action="store_true", help="Fail when the snapshot differs from a real migrate.")
        action.add_argument(
            "--migrate",
            action="store_true",
            help="Load the snapshot when the database is SQLite without tables, then apply newer migrations.",
        )

    def handle(self, *args, write, check, migrate, **options):
        if write:
            path = schema_snapshot.write()
            self.stdout.write(f"Wrote {path.relative_to(path.parents[2])}")
        elif check:
            if schema_snapshot.build() != schema_snapshot.SNAPSHOT_PATH.read_text(encoding="utf-8"):
                raise CommandError(f"The schema snapshot is out of date: run `{schema_snapshot.WRITE_COMMAND}`.")
            self.stdout.write("The schema snapshot matches the migrations.")
        else:
            # One process for both: Django's start-up costs more than loading the snapshot.
            if schema_snapshot.load_if_new() and options["verbosity"] > 1:
                self.stdout.write("Loaded the schema snapshot.")
            call_command("migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout)

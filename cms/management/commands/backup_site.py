from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, backup


class Command(BaseCommand):
    help = "Backs up the database (pg_dump custom format, or a copy of the SQLite file) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Directory that receives the new backup directory.")

    def handle(self, *args, output, **options):
        try:
            target = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(target))

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restores a backup of backup_site into a database (fresh, or cleaned with --clean) and a media directory."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A directory written by backup_site.")
        parser.add_argument("--database-url", required=True, help="The database to restore into.")
        parser.add_argument("--media-root", default=None, help="Where the media files go (default: MEDIA_ROOT).")
        parser.add_argument("--create", action="store_true", help="Create the PostgreSQL database if it is missing.")
        parser.add_argument("--clean", action="store_true", help="Replace what the database holds already.")

    def handle(self, *args, backup, database_url, media_root, create, clean, **options):
        try:
            restore(Path(backup), database_url, Path(media_root or settings.MEDIA_ROOT), clean=clean, create=create)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {backup}.")

from django.core.management.base import BaseCommand

from participation import digests, tasks
from participation.models import Frequency


class Command(BaseCommand):
    help = (
        "Mails every due subscription what changed in the catalogue since its last digest (run daily from cron). "
        "With --enqueue the work goes to the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", choices=Frequency.values, help="Only subscriptions with this frequency (default: all due)."
        )
        parser.add_argument("--enqueue", action="store_true", help="Hand the run to the background task worker.")

    def handle(self, *args, frequency=None, enqueue=False, **options):
        if enqueue:
            result = tasks.send_digests.enqueue(frequency)
            self.stdout.write(f"Digest run enqueued as task {result.id}.")
            return
        run = digests.send_digests(frequency=frequency)
        if run.skipped:
            self.stdout.write(self.style.WARNING("Another digest run is in progress; nothing done."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.changes} changes found, {run.mails} mails sent to {run.subscriptions} due subscriptions."
            )
        )

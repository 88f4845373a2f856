from django.core.management.base import BaseCommand

from participation import privacy, tasks


class Command(BaseCommand):
    help = (
        "Deletes personal data no longer needed: unconfirmed subscriptions, addresses and registrations after "
        "seven days, registrations 30 days after their dialogue, and more (run daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Hand the run to the background task worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            task = tasks.purge.enqueue()
            self.stdout.write(f"Purge enqueued as task {task.id}.")
            return
        purged = privacy.purge()
        summary = ", ".join(f"{name}: {count}" for name, count in purged.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Deleted or anonymised – {summary}."))

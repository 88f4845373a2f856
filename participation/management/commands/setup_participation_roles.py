from django.core.management.base import BaseCommand

from participation.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Creates the groups „Beteiligung“ (moderates ideas, sees registrations) and „Datenschutz“. Safe to run again."
    )

    def handle(self, *args, **options):
        moderation, privacy = setup_roles()
        self.stdout.write(self.style.SUCCESS(f"Roles ready: „{moderation.name}“ and „{privacy.name}“."))

from django.core.management.base import BaseCommand

from catalogue.models.sdg import load_sdgs


class Command(BaseCommand):
    help = "Creates or updates the 17 UN Sustainable Development Goals and their targets from catalogue/data/sdg.yaml."

    def handle(self, *args, **options):
        count = load_sdgs()
        self.stdout.write(self.style.SUCCESS(f"{count} SDG targets loaded."))

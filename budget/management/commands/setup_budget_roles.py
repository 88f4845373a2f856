"""Gives the catalogue's roles their budget permissions and the key-figure reports their approval. Safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from budget.roles import setup_budget_roles


class Command(BaseCommand):
    help = (
        "Budget permissions for the coordination (everything), reviewers (viewing) and department groups (key-figure "
        "reports); key-figure reports get the approval workflow of status reports. Run after setup_roles."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        workflow = setup_budget_roles()
        if workflow is None:
            self.stdout.write(self.style.WARNING("Status reports have no workflow yet: key-figure reports get none."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Budget roles ready; key-figure reports go through „{workflow.name}“.")
            )

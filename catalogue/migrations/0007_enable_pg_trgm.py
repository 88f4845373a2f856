from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """CREATE EXTENSION IF NOT EXISTS pg_trgm, on PostgreSQL only (the operation does nothing elsewhere)."""

    dependencies = [
        ("catalogue", "0006_statusreport_pending_indicator_values"),
    ]

    operations = [
        TrigramExtension(),
    ]

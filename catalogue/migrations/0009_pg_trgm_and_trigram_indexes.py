from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The text search filters with icontains, which PostgreSQL runs as UPPER(column::text) LIKE
# UPPER('%...%'): trigram GIN indexes on exactly that expression turn the scans into index lookups.
COLUMNS = ("title", "code", "summary")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS catalogue_project_{column}_trgm "
            f"ON catalogue_project USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS catalogue_project_{column}_trgm")


class Migration(migrations.Migration):
    """pg_trgm (CREATE EXTENSION IF NOT EXISTS, on PostgreSQL only) and the trigram indexes of the text search."""

    dependencies = [
        ("catalogue", "0008_timeline_milestone_links_a_page"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]

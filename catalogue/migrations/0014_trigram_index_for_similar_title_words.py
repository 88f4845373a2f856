from django.db import migrations

# The text search also matches a word similar to one of the title's (`title %> 'word'`, pg_trgm's
# word similarity). The indexes of 0009 are on UPPER(title) for the substring match and cannot
# serve it, so that one branch of the search made every text query scan the whole table and score
# each title (about 300 ms at 10,000 entries); with this index it is a bitmap index scan.
INDEX = "catalogue_project_title_word_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_project USING gin (title gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    """A trigram GIN index on the plain title for the search's similar-word match (PostgreSQL only)."""

    dependencies = [
        ("catalogue", "0013_random_import_upload_names"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]

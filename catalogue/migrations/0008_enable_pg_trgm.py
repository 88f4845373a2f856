"""The pg_trgm extension for the catalogue's text search (similar words, indexable ILIKE).

Django's CreateExtension does nothing on other databases, so SQLite migrates unchanged.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_sdg_targets_and_open_data_settings")]

    operations = [TrigramExtension()]

"""The spreadsheet format (one column set for every import and export), reading, cells, vocabulary, planning, applying.

May import `catalogue.models` and `cms`; never `catalogue.public` or `catalogue.admin`.
Import in two steps: `plan_import` reads and checks the whole file and says, per row, what
would be created, changed or left alone, writing nothing; `apply_import` writes a plan in one
transaction, with a published revision and a log entry naming the `ImportRun` per entry.
"""

from .applying import IMPORT_ACTION, apply_import
from .cells import parse_date, parse_money
from .columns import COLUMN_KEYS, COLUMNS, LICENCE_NAME, LICENCE_URI, LICENCE_URL, headers
from .planning import ImportPlan, plan_import
from .reading import MAX_FILE_SIZE, MAX_ROWS, ImportFileError
from .rows import project_rows, template_rows
from .writers import csv_lines, write_csv, write_xlsx

__all__ = [
    "COLUMNS",
    "COLUMN_KEYS",
    "IMPORT_ACTION",
    "LICENCE_NAME",
    "LICENCE_URI",
    "LICENCE_URL",
    "MAX_FILE_SIZE",
    "MAX_ROWS",
    "ImportFileError",
    "ImportPlan",
    "apply_import",
    "csv_lines",
    "headers",
    "parse_date",
    "parse_money",
    "plan_import",
    "project_rows",
    "template_rows",
    "write_csv",
    "write_xlsx",
]

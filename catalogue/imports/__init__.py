"""The spreadsheet format (one column set for every import and export), reading, mapping, planning, applying.

May import `catalogue.models` and `cms`; never `catalogue.public` or `catalogue.admin`.
An import goes in steps: `read_table` reads the file, `guess_mapping` says which column is
which field (the coordinator may change it), `plan_import`/`plan_table` checks every row
and says what would be created, changed or left alone, writing nothing; `apply_import`
writes a plan in one short transaction, with a published revision and a log entry naming
the `ImportRun` per entry. `runs` and `tasks` do the same for the admin in the background.
"""

from .applying import IMPORT_ACTION, ImportConflict, apply_import
from .cells import parse_date, parse_money
from .columns import COLUMN_KEYS, COLUMNS, LICENCE_NAME, LICENCE_URI, LICENCE_URL, headers
from .mapping import TARGETS, ColumnMapping, guess_mapping, mapping_from_file_data, mapping_from_run
from .planning import known_status_words, plan_import, plan_table
from .plans import ImportPlan
from .problems import Problem, ProblemGroup, group_problems
from .reading import MAX_FILE_SIZE, MAX_ROWS, ImportFileError, Table, read_table
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
    "TARGETS",
    "ColumnMapping",
    "ImportConflict",
    "ImportFileError",
    "ImportPlan",
    "Problem",
    "ProblemGroup",
    "Table",
    "apply_import",
    "csv_lines",
    "group_problems",
    "guess_mapping",
    "headers",
    "known_status_words",
    "mapping_from_file_data",
    "mapping_from_run",
    "parse_date",
    "parse_money",
    "plan_import",
    "plan_table",
    "project_rows",
    "read_table",
    "template_rows",
    "write_csv",
    "write_xlsx",
]

"""What citizens see: the reports, their areas, PDF and downloads, the comparison, an entry's history.

May import `catalogue.models`, `catalogue.public` helpers, `catalogue.imports` (the export
format), `cms`, `home.pdf` (the PDF machinery) and this app's models and modules; never the
admin wings.
"""

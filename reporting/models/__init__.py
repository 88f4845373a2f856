"""Reporting periods, the frozen reports of closed periods, and the page that publishes them.

May import `catalogue.models` and `cms`; nothing in the catalogue imports this app.
"""

from .pages import ReportIndexPage
from .periods import PeriodReminder, ReportingPeriod, scoped_entries
from .snapshots import EntrySnapshot, IndicatorSnapshot, ProgressReport

__all__ = [
    "EntrySnapshot",
    "IndicatorSnapshot",
    "PeriodReminder",
    "ProgressReport",
    "ReportIndexPage",
    "ReportingPeriod",
    "scoped_entries",
]

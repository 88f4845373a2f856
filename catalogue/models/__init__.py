from .aggregates import Aggregate
from .evaluation import Indicator, IndicatorValue, StatusReport
from .imports import ImportRun as ImportRun
from .projects import Project, ProjectDocument, ProjectLink, TrafficLight
from .reminders import ReminderLog
from .settings import CatalogueSettings
from .taxonomy import Area, Department, FundingProgramme, Goal, Municipality, Status, Theme, code_sort_key

__all__ = [
    "Aggregate",
    "Area",
    "CatalogueSettings",
    "Department",
    "FundingProgramme",
    "Goal",
    "Indicator",
    "IndicatorValue",
    "Municipality",
    "Project",
    "ProjectDocument",
    "ProjectLink",
    "ReminderLog",
    "Status",
    "StatusReport",
    "Theme",
    "TrafficLight",
    "code_sort_key",
]

# The public page types live in catalogue/pages.py; imported here so that migrations see them.
from ..pages import AreaPage, CatalogueIndexPage  # noqa: F401

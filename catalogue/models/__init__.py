"""The domain: taxonomy, entries, evaluation, aggregates, settings, the goal-tree walk, page types.

May import `cms` (shared blocks, validators) and nothing of the catalogue's other wings
(`public`, `admin`, `imports`) nor `permissions`: they all build on this package.
"""

from .aggregates import Aggregate
from .evaluation import Indicator, IndicatorValue, StatusReport
from .imports import ImportRun
from .pages import AreaPage, CatalogueIndexPage
from .projects import Project, ProjectDocument, ProjectLink, TrafficLight
from .reminders import ReminderLog
from .sdg import SdgGoal, SdgTarget
from .settings import CatalogueSettings, OpenDataSettings
from .taxonomy import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Status,
    Theme,
    code_sort_key,
    department_slug,
)

__all__ = [
    "Aggregate",
    "Area",
    "AreaPage",
    "CatalogueIndexPage",
    "CatalogueSettings",
    "Department",
    "FundingProgramme",
    "Goal",
    "ImportRun",
    "Indicator",
    "IndicatorValue",
    "Municipality",
    "OpenDataSettings",
    "Project",
    "ProjectDocument",
    "ProjectLink",
    "ReminderLog",
    "SdgGoal",
    "SdgTarget",
    "Status",
    "StatusReport",
    "Theme",
    "TrafficLight",
    "code_sort_key",
    "department_slug",
]

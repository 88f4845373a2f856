"""The domain: taxonomy, entries, evaluation, aggregates, settings, the goal-tree walk, page types.

May import `cms` (shared blocks, validators) and nothing of the catalogue's other wings
(`public`, `admin`, `imports`) nor `permissions`: they all build on this package.
"""

from .aggregates import Aggregate
from .evaluation import (
    Indicator,
    IndicatorValue,
    PublicState,
    StatusReport,
    public_state,
    report_warnings,
    report_warnings_against,
)
from .imports import ImportMapping, ImportRun
from .pages import AreaPage, CatalogueIndexPage
from .progress import LightSource
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
    "ImportMapping",
    "ImportRun",
    "Indicator",
    "IndicatorValue",
    "LightSource",
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
    "report_warnings",
    "report_warnings_against",
    "public_state",
    "PublicState",
]

from .aggregates import Aggregate
from .evaluation import Indicator, IndicatorValue, StatusReport
from .projects import Project, ProjectDocument, ProjectLink, TrafficLight
from .taxonomy import Area, Department, FundingProgramme, Goal, Municipality, Status, Theme, code_sort_key

__all__ = [
    "Aggregate",
    "Area",
    "Department",
    "FundingProgramme",
    "Goal",
    "Indicator",
    "IndicatorValue",
    "Municipality",
    "Project",
    "ProjectDocument",
    "ProjectLink",
    "Status",
    "StatusReport",
    "Theme",
    "TrafficLight",
    "code_sort_key",
]

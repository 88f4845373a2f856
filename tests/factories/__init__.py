from .catalogue import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ProjectFactory,
    StatusFactory,
    german,
    publish_with_reports,
)

__all__ = [
    "AreaFactory",
    "DepartmentFactory",
    "GoalFactory",
    "IndicatorFactory",
    "MunicipalityFactory",
    "ProjectFactory",
    "StatusFactory",
    "german",
    "publish_with_reports",
]

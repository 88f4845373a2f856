"""Aggregates for goals and areas, in a fixed number of queries however many entries exist.

Each aggregate loads flat rows (goal tree, goal-entry links, goal-indicator links, indicator
values) once and sums them up in Python. Only live entries in the goal's own locale count:
translations link to the same source-locale goals and would otherwise be counted twice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F

from . import tree


@dataclass
class Aggregate:
    entry_count: int = 0
    status_counts: dict = field(default_factory=dict)
    progress: int | None = None
    indicator_count: int = 0
    indicators_on_track: int = 0
    indicators_assessed: int = 0

    @property
    def indicator_share_on_track(self):
        """Share (0..1) of assessable indicators that are on track; None when none can be assessed."""
        if not self.indicators_assessed:
            return None
        return self.indicators_on_track / self.indicators_assessed


def _aggregate_groups(groups):
    """`groups` maps a key to a set of goal ids; returns key -> Aggregate."""
    # By name from the registry: the goal and area managers below are part of the taxonomy
    # models, which the entry and indicator models build on.
    Project = apps.get_model("catalogue", "Project")
    Indicator = apps.get_model("catalogue", "Indicator")
    IndicatorValue = apps.get_model("catalogue", "IndicatorValue")

    goal_ids = set().union(*groups.values()) if groups else set()
    if not goal_ids:
        return {key: Aggregate() for key in groups}
    links = Project.goals.through.objects.filter(
        goal_id__in=goal_ids, project__live=True, project__locale_id=F("goal__locale_id")
    ).values_list("goal_id", "project_id", "project__status_id", "project__progress", "project__weight")
    entries_by_goal = defaultdict(set)
    entries = {}
    for goal_id, project_id, status_id, progress, weight in links:
        entries_by_goal[goal_id].add(project_id)
        entries[project_id] = (status_id, progress, weight)

    indicator_links = Indicator.goals.through.objects.filter(goal_id__in=goal_ids).values_list(
        "goal_id", "indicator_id"
    )
    indicators_by_goal = defaultdict(set)
    for goal_id, indicator_id in indicator_links:
        indicators_by_goal[goal_id].add(indicator_id)
    indicator_ids = set().union(*indicators_by_goal.values()) if indicators_by_goal else set()
    on_track = {}
    if indicator_ids:
        latest = {}
        for value in IndicatorValue.objects.filter(indicator_id__in=indicator_ids).order_by("date", "pk"):
            latest[value.indicator_id] = value
        for indicator in Indicator.objects.filter(pk__in=indicator_ids):
            on_track[indicator.pk] = indicator.is_on_track(latest.get(indicator.pk)) if indicator.pk in latest else None

    result = {}
    for key, ids in groups.items():
        project_ids = set().union(*(entries_by_goal.get(goal_id, set()) for goal_id in ids))
        counts: defaultdict[int | None, int] = defaultdict(int)
        for project_id in project_ids:
            counts[entries[project_id][0]] += 1
        assessed = [
            on_track[indicator_id]
            for indicator_id in set().union(*(indicators_by_goal.get(goal_id, set()) for goal_id in ids))
        ]
        result[key] = Aggregate(
            entry_count=len(project_ids),
            status_counts=dict(counts),
            progress=tree.weighted_progress([entries[pk][1:] for pk in project_ids]),
            indicator_count=len(assessed),
            indicators_on_track=sum(1 for flag in assessed if flag),
            indicators_assessed=sum(1 for flag in assessed if flag is not None),
        )
    return result


TOTAL = "total"


class GoalQuerySet(models.QuerySet):
    def with_aggregates(self):
        """The goals as a list, each with `.aggregate` covering entries of all its sub-goals."""
        return self.with_aggregates_and_total()[0]

    def with_aggregates_and_total(self):
        """The goals with their aggregates, and one Aggregate over all of them together.

        For the goals of an area the total is the area's aggregate, computed from the same
        rows instead of loading them a second time.
        """
        goals: list[Any] = list(self)
        if not goals:
            return goals, Aggregate()
        rows = list(
            self.model._default_manager.filter(locale_id__in={goal.locale_id for goal in goals}).values(
                "pk", "parent_id"
            )
        )
        descendants = tree.subtrees((row["pk"], row["parent_id"]) for row in rows)
        groups = {goal.pk: descendants.get(goal.pk, {goal.pk}) for goal in goals}
        groups[TOTAL] = set().union(*groups.values())
        aggregates = _aggregate_groups(groups)
        for goal in goals:
            goal.aggregate = aggregates[goal.pk]
        return goals, aggregates[TOTAL]


GoalManager = models.Manager.from_queryset(GoalQuerySet)


class AreaQuerySet(models.QuerySet):
    def aggregates(self):
        """Map of area id to its Aggregate, over all goals of each area."""
        Goal = apps.get_model("catalogue", "Goal")
        area_ids = list(self.values_list("pk", flat=True))
        groups: dict[int, set[int]] = {area_id: set() for area_id in area_ids}
        for goal_id, area_id in Goal.objects.filter(area_id__in=area_ids).values_list("pk", "area_id"):
            groups[area_id].add(goal_id)
        return _aggregate_groups(groups)


AreaManager = models.Manager.from_queryset(AreaQuerySet)

"""What changed between two reports, or between a report and today: per entry, per goal and area, per indicator.

Definitions (stated on the comparison page as well):

- *new*: in the later set, not in the earlier one; *removed*: the other way round.
- *finished*: in both, with a closed status (e.g. abgeschlossen, entfallen) only in the later one.
- *status*, *light*, *progress changed*: in both, with a different value; a light moving towards
  "im Plan" is *better*, away from it *worse* (an unknown light is neither).
- An entry belongs to the areas and goals it is linked to in the later set (in the earlier one
  when it was removed); a goal counts the entries of its sub-goals too.
- The progress of a group is the mean of its entries' progress weighted by their weight, on each side.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from catalogue.models import TrafficLight, tree
from catalogue.models.progress import LIGHT_RANK, Path

from .freezing import entry_sort_key

CHANGE_KINDS = ["new", "removed", "finished", "status", "light", "progress"]


@dataclass(frozen=True)
class EntryChange:
    key: Any
    code: str
    before: Any | None
    after: Any | None
    kinds: tuple[str, ...]

    @property
    def current(self) -> Any:
        return self.after if self.after is not None else self.before

    @property
    def progress_delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after.progress - self.before.progress

    @property
    def light_trend(self) -> str:
        """ "better", "worse" or "" (unchanged, or to or from an unknown light)."""
        if self.before is None or self.after is None:
            return ""
        old, new = LIGHT_RANK.get(self.before.traffic_light), LIGHT_RANK.get(self.after.traffic_light)
        if old is None or new is None or old == new:
            return ""
        return "better" if new > old else "worse"


@dataclass(frozen=True)
class Summary:
    """The changes within a group of entries (all, an area, a goal)."""

    entries_before: int
    entries_after: int
    new: int
    removed: int
    finished: int
    status_changed: int
    light_changed: int
    light_better: int
    light_worse: int
    progress_changed: int
    progress_before: int | None
    progress_after: int | None

    @property
    def progress_delta(self) -> int | None:
        if self.progress_before is None or self.progress_after is None:
            return None
        return self.progress_after - self.progress_before


@dataclass(frozen=True)
class IndicatorMove:
    key: Any
    before: Any | None
    after: Any | None
    delta: Decimal | None
    improved: bool | None

    @property
    def current(self) -> Any:
        return self.after if self.after is not None else self.before


def _kinds(before: Any | None, after: Any | None) -> tuple[str, ...]:
    if before is None:
        return ("new",)
    if after is None:
        return ("removed",)
    kinds = []
    if after.status_closed and not before.status_closed:
        kinds.append("finished")
    if after.status != before.status:
        kinds.append("status")
    if after.traffic_light != before.traffic_light:
        kinds.append("light")
    if after.progress != before.progress:
        kinds.append("progress")
    return tuple(kinds)


def entry_changes(before: Iterable[Any], after: Iterable[Any]) -> list[EntryChange]:
    """Every entry of either set with what changed, matched by translation key, in code order."""
    earlier = {entry.translation_key: entry for entry in before}
    later = {entry.translation_key: entry for entry in after}
    changes = []
    for key in earlier.keys() | later.keys():
        old, new = earlier.get(key), later.get(key)
        changes.append(EntryChange(key, (later.get(key) or earlier[key]).code, old, new, _kinds(old, new)))
    changes.sort(key=lambda change: entry_sort_key(change.code))
    return changes


def summarise(changes: Sequence[EntryChange]) -> Summary:
    def count(kind: str) -> int:
        return sum(1 for change in changes if kind in change.kinds)

    before = [change.before for change in changes if change.before is not None]
    after = [change.after for change in changes if change.after is not None]
    return Summary(
        entries_before=len(before),
        entries_after=len(after),
        new=count("new"),
        removed=count("removed"),
        finished=count("finished"),
        status_changed=count("status"),
        light_changed=count("light"),
        light_better=sum(1 for change in changes if change.light_trend == "better"),
        light_worse=sum(1 for change in changes if change.light_trend == "worse"),
        progress_changed=count("progress"),
        progress_before=tree.weighted_progress((entry.progress, entry.weight) for entry in before),
        progress_after=tree.weighted_progress((entry.progress, entry.weight) for entry in after),
    )


def in_goals(changes: Iterable[EntryChange], goal_codes: set[str]) -> list[EntryChange]:
    return [change for change in changes if goal_codes.intersection(change.current.goal_codes)]


def in_area(changes: Iterable[EntryChange], area_code: str) -> list[EntryChange]:
    return [change for change in changes if area_code in change.current.area_codes]


def _value_at(indicator: Any) -> Decimal | None:
    return getattr(indicator, "value", None)


def indicator_moves(before: Iterable[Any], after: Iterable[Any]) -> list[IndicatorMove]:
    """Every indicator of either set with how its newest value moved, matched by translation key."""
    earlier = {indicator.translation_key: indicator for indicator in before}
    later = {indicator.translation_key: indicator for indicator in after}
    moves = []
    for key in earlier.keys() | later.keys():
        old, new = earlier.get(key), later.get(key)
        old_value, new_value = _value_at(old), _value_at(new)
        delta = improved = None
        if old_value is not None and new_value is not None:
            delta = new_value - old_value
            direction = (later.get(key) or earlier[key]).direction
            improved = Path(direction, None, None, None, None).improved(old_value, new_value)
        moves.append(IndicatorMove(key, old, new, delta, improved))
    moves.sort(key=lambda move: move.current.title.casefold())
    return moves


def matching(
    changes: Iterable[EntryChange],
    *,
    goal_codes: set[str] | None = None,
    department: Callable[[Any], bool] | None = None,
    kinds: Sequence[str] = (),
) -> list[EntryChange]:
    """The changes a visitor filtered for: within goals, of a department, of some kinds of change."""
    found = list(changes)
    if goal_codes is not None:
        found = in_goals(found, goal_codes)
    if department is not None:
        found = [change for change in found if department(change.current)]
    if kinds:
        found = [change for change in found if set(kinds).intersection(change.kinds)]
    return found


def light_label(value: str | None) -> str:
    return str(dict(TrafficLight.choices).get(value, "")) if value else ""

"""The one walk over trees: goals under goals, entries under entries, departments under departments.

Every walk works on plain ids and a parent or children map loaded by the caller in one query,
and every walk stops at a repeated id, so a cycle stored by mistake can never loop forever.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
N = TypeVar("N")


def children_of(pairs: Iterable[tuple[K, K | None]]) -> dict[K, list[K]]:
    """{parent: [children]} from (id, parent id) pairs, in the pairs' order."""
    children: dict[K, list[K]] = defaultdict(list)
    for pk, parent in pairs:
        if parent is not None:
            children[parent].append(pk)
    return children


def subtree(children: Mapping[K, Sequence[K]], root: K) -> list[K]:
    """`root` and everything below it, level by level."""
    ids, seen, frontier = [root], {root}, [root]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, ()) if child not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def subtrees(pairs: Iterable[tuple[K, K | None]]) -> dict[K, set[K]]:
    """For every id, itself and everything below it."""
    pairs = list(pairs)
    children = children_of(pairs)
    return {pk: set(subtree(children, pk)) for pk, _parent in pairs}


def ancestors(parent_of: Callable[[K], K | None], start: K) -> list[K]:
    """The ids above `start`, nearest first; `parent_of` may read a map or walk model instances."""
    found: list[K] = []
    node = parent_of(start)
    while node is not None and node not in found and node != start:
        found.append(node)
        node = parent_of(node)
    return found


def path(parent_of: Mapping[K, K | None], node: K) -> list[K]:
    """From the top of the tree down to `node` (inclusive); empty when `node` is unknown."""
    if node not in parent_of:
        return []
    above = ancestors(lambda pk: parent_of.get(pk), node)
    return [*reversed([pk for pk in above if pk in parent_of]), node]


def root(parent_of: Mapping[K, K | None], node: K) -> K:
    above = ancestors(lambda pk: parent_of.get(pk), node)
    return above[-1] if above else node


def nest(
    nodes: Iterable[N], pk: Callable[[N], Any], parent: Callable[[N], Any], attribute: str = "subgoals"
) -> list[N]:
    """Hang each node under its parent (as a list in `attribute`), keeping the given order; returns the roots."""
    nodes = list(nodes)
    by_pk = {pk(node): node for node in nodes}
    roots: list[N] = []
    for node in nodes:
        setattr(node, attribute, [])
    for node in nodes:
        above = by_pk.get(parent(node))
        (getattr(above, attribute) if above is not None and above is not node else roots).append(node)
    return roots


def weighted_progress(pairs: Iterable[tuple[int, int]]) -> int | None:
    """Mean of (progress, weight) pairs weighted by weight; None when nothing carries weight."""
    pairs = list(pairs)
    total = sum(weight for _, weight in pairs)
    if not total:
        return None
    return round(sum(progress * weight for progress, weight in pairs) / total)


def weighted_subtree_progress(rows: Iterable[Mapping[str, Any]], root_id: Hashable) -> dict[Any, int]:
    """Progress of every entry with children under `root_id`, returned only where it differs.

    `rows` are mappings with pk, parent_id, progress and weight. Leaves keep their own progress;
    an entry with weighted children takes their weighted mean, at any depth.
    """
    by_pk = {row["pk"]: row for row in rows}
    children = children_of((row["pk"], row["parent_id"]) for row in by_pk.values())
    computed: dict[Any, int] = {}
    visiting: set[Any] = set()

    def progress_of(pk: Any) -> int:
        if pk in computed:
            return computed[pk]
        visiting.add(pk)
        pairs = [
            (progress_of(child), by_pk[child]["weight"]) for child in children.get(pk, []) if child not in visiting
        ]
        value = weighted_progress(pairs) if pairs else None
        computed[pk] = by_pk[pk]["progress"] if value is None else value
        return computed[pk]

    if root_id not in by_pk:
        return {}
    progress_of(root_id)
    return {pk: value for pk, value in computed.items() if children.get(pk) and value != by_pk[pk]["progress"]}


def rollup_changes(rows: Iterable[Mapping[str, Any]], changed: Iterable[Hashable]) -> dict[Any, int]:
    """New progress of every entry above the `changed` ones, each root's subtree computed once."""
    rows = list(rows)
    parent_of = {row["pk"]: row["parent_id"] for row in rows}
    result: dict[Any, int] = {}
    for top in {root(parent_of, pk) for pk in changed}:
        result.update(weighted_subtree_progress(rows, top))
    return result

"""Weighted progress over a tree of entries, computed in memory from one query's rows."""

from collections import defaultdict


def weighted_progress(pairs):
    """Mean of (progress, weight) pairs weighted by weight; None when nothing carries weight."""
    total = sum(weight for _, weight in pairs)
    if not total:
        return None
    return round(sum(progress * weight for progress, weight in pairs) / total)


def weighted_subtree_progress(rows, root_id):
    """Progress of every entry with children under `root_id`, returned only where it differs.

    `rows` are dicts with pk, parent_id, progress and weight. Leaves keep their own progress;
    an entry with weighted children takes their weighted mean, at any depth.
    """
    by_pk = {row["pk"]: row for row in rows}
    children = defaultdict(list)
    for row in rows:
        if row["parent_id"] is not None:
            children[row["parent_id"]].append(row["pk"])

    computed = {}
    visiting = set()

    def progress_of(pk):
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

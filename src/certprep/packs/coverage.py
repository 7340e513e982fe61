"""Coverage of a bank over an outline (scored items per objective and per functional group against the weights),
and the items each outline change touches."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from certprep.domain.catalog import Outline, OutlineChange, diff_outlines
from certprep.domain.items import Bank


@dataclass(frozen=True, slots=True)
class ObjectiveCoverage:
    objective: str
    code: str
    group: str
    items: int


@dataclass(frozen=True, slots=True)
class GroupCoverage:
    group: str
    title: str
    items: int
    share: float
    weight: tuple[int, int]

    @property
    def in_range(self) -> bool:
        low, high = self.weight
        return low <= round(self.share * 100, 1) <= high


@dataclass(frozen=True, slots=True)
class Coverage:
    outline: str
    total: int
    objectives: tuple[ObjectiveCoverage, ...]
    groups: tuple[GroupCoverage, ...]
    by_type: tuple[tuple[str, int], ...]

    @property
    def empty(self) -> tuple[str, ...]:
        return tuple(o.objective for o in self.objectives if o.items == 0)

    @property
    def ok(self) -> bool:
        return not self.empty and all(g.in_range for g in self.groups)


def coverage(bank: Bank, outline: Outline) -> Coverage:
    """Count scored items (retired and pilot items excluded) per objective, group and type."""
    counted = [i for i in bank.items if i.meta.status != "retired" and not i.meta.pilot]
    per_objective = Counter(i.meta.objective for i in counted)
    objectives = tuple(
        ObjectiveCoverage(o.id, o.code, g.id, per_objective.get(o.id, 0))
        for g in outline.groups
        for o in g.objectives
    )
    in_outline = sum(o.items for o in objectives)
    groups = tuple(
        GroupCoverage(
            g.id,
            g.title,
            n := sum(per_objective.get(o.id, 0) for o in g.objectives),
            n / in_outline if in_outline else 0.0,
            g.weight,
        )
        for g in outline.groups
    )
    by_type = tuple(sorted(Counter(i.type for i in counted).items()))
    return Coverage(outline.version.isoformat(), in_outline, objectives, groups, by_type)


@dataclass(frozen=True, slots=True)
class TouchedChange:
    change: OutlineChange
    items: tuple[str, ...]


def outline_changes(bank: Bank, old: Outline, new: Outline) -> list[TouchedChange]:
    """Each objective added, removed or reworded between two outlines, with the item ids it touches."""
    out = []
    for change in diff_outlines(old, new):
        ids = {change.objective, *([change.old_id] if change.old_id else [])}
        touched = tuple(sorted(i.meta.id for i in bank.items if i.meta.objective in ids))
        out.append(TouchedChange(change, touched))
    return out

"""Score reports: pass or fail, scaled score, a bar per functional group, objectives to revisit, item review.

A report is a snapshot: built once when an attempt ends, stored as it is, with the scoring method's version.
Only a full blueprint mock exam gets a pass/fail and a 1-1000 scaled score (`is_scaled`); a practice set or an
adaptive session reports points and percentages per functional group, because a handful of items chosen by topic
says nothing about the exam's pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from certprep.domain.catalog import FunctionalGroup, Outline
from certprep.domain.exam import FormEntry
from certprep.domain.items import Item, Response, StudyLink, grade, max_points
from certprep.domain.presentation import present, reveal, to_labels
from certprep.domain.scaling import METHOD_VERSION, PASS, cut_score, scale


@dataclass(frozen=True, slots=True)
class GroupBar:
    group: str
    title: str
    points: int
    max_points: int
    weight: tuple[int, int]

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True, slots=True)
class Revisit:
    objective: str
    code: str
    text: str
    lost_points: int
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportItem:
    position: int
    section: int
    item_id: str
    revision: str
    objective: str
    scored: bool
    points: int
    max_points: int
    shown: dict[str, Any]
    answer: Any
    revealed: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Report:
    attempt_id: str
    mode: str
    method_version: str
    outline: str
    submitted_at: datetime
    expired: bool
    raw: int
    max_raw: int
    cut: float | None
    scaled: int | None
    passed: bool | None
    groups: tuple[GroupBar, ...]
    revisit: tuple[Revisit, ...]
    items: tuple[ReportItem, ...]


def is_scaled(mode: str) -> bool:
    """A scaled score and a pass/fail belong to full blueprint mock exams only."""
    return mode == "exam"


def counts_in_trend(*, mode: str, status: str, answered: int) -> bool:
    """A mock exam joins the score trend once submitted with at least one answer (an exam abandoned or timed out
    with nothing answered stays in the history, marked, but would only put a 1 into the trend)."""
    return is_scaled(mode) and status == "submitted" and answered > 0


def build_report(
    *,
    attempt_id: str,
    mode: str,
    entries: Sequence[FormEntry],
    items: Mapping[int, Item],
    revisions: Mapping[int, str],
    responses: Mapping[int, Response],
    outline: Outline,
    study_links: Sequence[StudyLink],
    submitted_at: datetime,
    expired: bool,
) -> Report:
    """Grade every scored item with its revision and build the snapshot."""
    graded: list[ReportItem] = []
    for e in entries:
        item = items[e.position]
        response = responses.get(e.position)
        earned = grade(item, response) if response is not None else None
        graded.append(
            ReportItem(
                e.position,
                e.section,
                item.meta.id,
                revisions[e.position],
                item.meta.objective,
                e.scored,
                earned.points if earned else 0,
                max_points(item),
                present(item, e.order),
                to_labels(item, e.order, response),
                reveal(item, e.order),
            )
        )
    scored = [(r, items[r.position]) for r in graded if r.scored]
    raw = sum(r.points for r, _ in scored)
    max_raw = sum(r.max_points for r, _ in scored)
    cut = cut_score(i for _, i in scored)
    scaled = scale(raw, max_raw, cut) if is_scaled(mode) else None
    group_of: dict[str, FunctionalGroup] = {o.id: g for g in outline.groups for o in g.objectives}
    bars = []
    for g in outline.groups:
        mine = [r for r, _ in scored if group_of.get(r.objective) is g]
        bars.append(
            GroupBar(g.id, g.title, sum(r.points for r in mine), sum(r.max_points for r in mine), g.weight)
        )
    return Report(
        attempt_id,
        mode,
        METHOD_VERSION,
        outline.version.isoformat(),
        submitted_at,
        expired,
        raw,
        max_raw,
        round(cut, 3) if scaled is not None else None,
        scaled,
        scaled >= PASS if scaled is not None else None,
        tuple(bars),
        _revisit(scored, outline, study_links),
        tuple(graded),
    )


def _revisit(
    scored: Sequence[tuple[ReportItem, Item]], outline: Outline, links: Sequence[StudyLink]
) -> tuple[Revisit, ...]:
    """Objectives with the most points lost, heaviest groups first on ties, with their study and source links."""
    lost: dict[str, int] = {}
    sources: dict[str, list[str]] = {}
    for r, item in scored:
        if r.points < r.max_points:
            lost[r.objective] = lost.get(r.objective, 0) + r.max_points - r.points
            sources.setdefault(r.objective, []).extend(s.url for s in item.meta.sources)
    weight: dict[str, int] = {o.id: sum(g.weight) for g in outline.groups for o in g.objectives}
    ranked = sorted(lost, key=lambda o: (-lost[o], -weight.get(o, 0), o))[:5]
    out = []
    for oid in ranked:
        obj = outline.objective(oid)
        urls = [x.url for x in links if x.objective == oid] + sources.get(oid, [])
        out.append(
            Revisit(
                oid, obj.code if obj else "", obj.text if obj else oid, lost[oid], tuple(dict.fromkeys(urls))
            )
        )
    return tuple(out)

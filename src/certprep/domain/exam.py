"""Exam forms: the blueprint of an outline and a simulation setting, and reproducible form assembly.

A form: the questions section (standalone items and whole yes/no series), then one section per case study. Items
come in proportion to the functional-group weights (the middle of each published range) and to the type mix;
no item twice; items seen least recently first (never seen = oldest); ties broken by the seeded generator, so the
same seed and history give the same form. Only `reviewed` items of the form's outline are used. Every item's
choices are shown in a seeded shuffled order stored with the form (`choice_order`), so a stored form renders as it
was drawn even after the bank changes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from certprep.domain.catalog import Outline, Simulation
from certprep.domain.items import (
    Bank,
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    SingleChoice,
    YesNoSeries,
    in_service,
)
from certprep.errors import InvalidInput

NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Blueprint:
    outline: date
    scored_items: int
    group_quotas: tuple[tuple[str, int], ...]
    type_quotas: tuple[tuple[str, int], ...]
    case_studies: int
    pilot_items: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Section:
    index: int
    kind: str  # "questions" | "case-study"
    title: str
    case_study: str | None = None


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One position of a form: the item, its section and the display order of its choices."""

    position: int
    section: int
    item_id: str
    order: tuple[tuple[str, tuple[str, ...]], ...]
    scored: bool = True


@dataclass(frozen=True, slots=True)
class Form:
    sections: tuple[Section, ...]
    entries: tuple[FormEntry, ...]


def largest_remainder(total: int, shares: Sequence[tuple[str, float]]) -> dict[str, int]:
    """Split a whole number by shares so the parts add up exactly (Hamilton's method)."""
    weight = sum(s for _, s in shares) or 1.0
    raw = [(k, total * s / weight) for k, s in shares]
    out = {k: int(v) for k, v in raw}
    left = total - sum(out.values())
    for k, _v in sorted(raw, key=lambda kv: -(kv[1] - int(kv[1])))[:left]:
        out[k] += 1
    return out


def blueprint_for(outline: Outline, simulation: Simulation, *, scored_items: int | None = None) -> Blueprint:
    """Group quotas at the middle of each weight range, type quotas from the mix."""
    n = scored_items or simulation.scored_items
    if not simulation.min_items <= n <= simulation.max_items:
        raise InvalidInput(
            f"a mock exam has {simulation.min_items}-{simulation.max_items} scored items, not {n}",
            field="items",
        )
    groups = largest_remainder(n, [(g.id, (g.weight[0] + g.weight[1]) / 2) for g in outline.groups])
    types = largest_remainder(n, list(simulation.type_mix))
    return Blueprint(
        outline.version,
        n,
        tuple(groups.items()),
        tuple(types.items()),
        simulation.case_studies,
        simulation.pilot_items,
        simulation.minutes,
    )


def choice_order(item: Item, rng: random.Random) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Shuffled display order of an item's choices, stored with the form.

    Every list a learner picks from is shuffled: options (single, multiple, and a build list's whole list, key
    actions and distractors mixed), drag-and-drop values, each hot-area blank's options. Authors write keys first
    and build lists in key order, so nothing shown may follow the authored order. Drag-and-drop targets are the
    questions, not choices, and keep the order the scenario gives them.
    """

    def shuffled(ids: list[str]) -> tuple[str, ...]:
        rng.shuffle(ids)
        return tuple(ids)

    match item:
        case SingleChoice() | MultipleResponse() | BuildList():
            return (("options", shuffled([o.id for o in item.options])),)
        case DragDrop():
            return (
                ("values", shuffled([v.id for v in item.values])),
                ("targets", tuple(t.id for t in item.targets)),
            )
        case HotArea():
            return tuple((b.id, shuffled([o.id for o in b.options])) for b in item.blanks)
    return ()


class _Picker:
    def __init__(self, outline: Outline, last_seen: Mapping[str, datetime], rng: random.Random) -> None:
        self.group_of: dict[str, str] = {o.id: g.id for g in outline.groups for o in g.objectives}
        self.last_seen, self.rng = last_seen, rng

    def staleness(self, ids: Sequence[str]) -> tuple[datetime, float]:
        seen = max((self.last_seen.get(i, NEVER) for i in ids), default=NEVER)
        return (seen, self.rng.random())


def usable(item: Item, outline: Outline, *, on: date) -> bool:
    """An item may go on a form of this outline on a day: reviewed, its objective is in the outline, and no topic it
    retires with has retired by that day (in exams the day before a retirement, out on the day)."""
    return usable_in(item, frozenset(o.id for o in outline.objectives), on=on)


def usable_in(item: Item, objectives: frozenset[str], *, on: date) -> bool:
    """`usable`, with the outline's objective ids computed once by the caller."""
    return item.meta.status == "reviewed" and item.meta.objective in objectives and in_service(item.meta, on)


def assemble_form(
    bank: Bank,
    outline: Outline,
    blueprint: Blueprint,
    *,
    rng: random.Random,
    last_seen: Mapping[str, datetime],
    on: date,
) -> tuple[Form, dict[str, Item]]:
    """Draw a form to the blueprint from the items usable on a day; returns it with the items it uses by id."""
    picker = _Picker(outline, last_seen, rng)
    objectives = frozenset(picker.group_of)
    group_left = Counter(dict(blueprint.group_quotas))
    type_left = Counter(dict(blueprint.type_quotas))
    used: dict[str, Item] = {}

    def take(item: Item) -> None:
        used[item.meta.id] = item
        group_left[picker.group_of[item.meta.objective]] -= 1
        type_left[item.type] -= 1

    def fits(item: Item) -> bool:
        return usable_in(item, objectives, on=on)

    cases = _pick_cases(bank.case_studies, fits, blueprint, picker)
    for case in cases:
        for item in case.items:
            take(item)
    blocks: list[list[Item]] = []
    for series in _pick_series(bank.series, fits, type_left["yes-no"], picker):
        blocks.append(list(series.statements))
        for item in series.statements:
            take(item)
    pool = [i for i in bank.items if i.meta.container is None and not i.meta.pilot and fits(i)]
    pool.sort(key=lambda i: picker.staleness([i.meta.id]))
    total_scored = sum(len(c.items) for c in cases) + sum(len(b) for b in blocks)
    while total_scored < blueprint.scored_items:
        nxt = _next_item(pool, used, group_left, type_left, picker)
        if nxt is None:
            raise InvalidInput(
                f"the bank has too few reviewed items for a {blueprint.scored_items}-item form "
                f"({total_scored} available)",
                field="items",
            )
        take(nxt)
        blocks.append([nxt])
        total_scored += 1
    pilots = [i for i in bank.items if i.meta.pilot and fits(i) and i.meta.container is None]
    rng.shuffle(pilots)
    pilot_blocks = [[p] for p in pilots[: blueprint.pilot_items]]
    for p in pilots[: blueprint.pilot_items]:
        used[p.meta.id] = p
    section0 = blocks + pilot_blocks
    rng.shuffle(section0)
    sections = [Section(0, "questions", "Questions")]
    entries: list[FormEntry] = []
    pilot_ids = {p.meta.id for b in pilot_blocks for p in b}
    for block in section0:
        for item in block:
            entries.append(
                FormEntry(
                    len(entries), 0, item.meta.id, choice_order(item, rng), item.meta.id not in pilot_ids
                )
            )
    for index, case in enumerate(cases, start=1):
        sections.append(Section(index, "case-study", case.title, case.id))
        for item in case.items:
            entries.append(FormEntry(len(entries), index, item.meta.id, choice_order(item, rng)))
    return Form(tuple(sections), tuple(entries)), used


def _pick_cases(
    cases: Sequence[CaseStudy], fits: Callable[[Item], bool], bp: Blueprint, picker: _Picker
) -> list[CaseStudy]:
    ok = [c for c in cases if len(c.items) >= 4 and all(fits(i) for i in c.items)]
    ok.sort(key=lambda c: picker.staleness([i.meta.id for i in c.items]))
    chosen: list[CaseStudy] = []
    size = 0
    for case in ok:
        if len(chosen) == bp.case_studies:
            break
        if size + len(case.items) <= bp.scored_items // 3:
            chosen.append(case)
            size += len(case.items)
    return chosen


def _pick_series(
    series: Sequence[YesNoSeries], fits: Callable[[Item], bool], wanted: int, picker: _Picker
) -> list[YesNoSeries]:
    ok = [s for s in series if all(fits(i) for i in s.statements)]
    ok.sort(key=lambda s: picker.staleness([i.meta.id for i in s.statements]))
    chosen: list[YesNoSeries] = []
    for s in ok:
        if wanted <= 0:
            break
        if len(s.statements) <= wanted + 1:
            chosen.append(s)
            wanted -= len(s.statements)
    return chosen


def _next_item(
    pool: list[Item],
    used: Mapping[str, Item],
    group_left: Counter[str],
    type_left: Counter[str],
    picker: _Picker,
) -> Item | None:
    free = [i for i in pool if i.meta.id not in used and i.type != "yes-no"]
    if not free:
        return None
    groups = sorted(group_left, key=lambda g: -group_left[g])
    types = sorted(type_left, key=lambda t: -type_left[t])
    for group in groups:
        in_group = [i for i in free if picker.group_of[i.meta.objective] == group]
        if not in_group or group_left[group] <= 0:
            continue
        for kind in types:
            match = [i for i in in_group if i.type == kind]
            if match:
                return match[0]
        return in_group[0]
    return free[0]

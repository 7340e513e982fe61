"""The study planner's values: presets, the plan's input, blocks and the plan, the pack's plan rules; and the
two small rules the planner's steps share (which mock exams a window needs, what kept blocks already cover).

`certprep.domain.planner` re-exports the public ones; import from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Activity = Literal["read", "practice", "lab", "flashcards", "mock-exam", "review", "prerequisite", "rest"]
PresetName = Literal["intensive", "balanced", "comprehensive"]
MockKind = Literal["baseline", "mid-way", "final"]

MOCK = 10  # quarters: 100-minute mock exam plus going through its report (2.5 h)
MOCK_SITTING = 7  # 100 minutes, rounded up to a quarter hour
MOCK_REPORT = MOCK - MOCK_SITTING
LIGHT_DAY = 4  # the day before the exam: at most 1 h
# Share of an objective's hours by activity, in the order they are studied. Reading and practice dominate: the
# exam asks to choose and configure, which practice sets train; labs make it concrete; flashcards keep it.
ACTIVITY_SHARES: tuple[tuple[Activity, float], ...] = (
    ("read", 0.30),
    ("practice", 0.30),
    ("lab", 0.25),
    ("flashcards", 0.15),
)


@dataclass(frozen=True, slots=True)
class ObjectiveWeight:
    objective: str
    group: str
    code: str
    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class Preset:
    name: PresetName
    days: tuple[int, int]
    hours_per_day: float
    total_hours: tuple[float, float]
    description: str
    # Suggested hours Monday..Sunday (averaging about hours_per_day); at least one day a week has 1.75 h for a
    # mock exam in one sitting.
    weekday_hours: tuple[float, ...] = ()
    title: str = ""


PRESETS: dict[PresetName, Preset] = {
    "intensive": Preset(
        "intensive",
        (7, 14),
        4.0,
        (20.0, 40.0),
        "7-14 days for someone already using Azure DevOps or GitHub daily: review the objectives and practice tests.",
        (4.0,) * 7,
        "Intensive",
    ),
    "balanced": Preset(
        "balanced",
        (30, 30),
        2.0,
        (50.0, 60.0),
        "30 days with about two hours a day, most of it hands-on practice.",
        (2.0,) * 7,
        "Balanced",
    ),
    "comprehensive": Preset(
        "comprehensive",
        (60, 60),
        1.5,
        (60.0, 80.0),
        "60 days, starting from the associate prerequisite when you hold neither; 60-80 hours in all.",
        (1.25, 1.25, 1.25, 1.25, 1.25, 2.5, 2.0),
        "Comprehensive",
    ),
}


@dataclass(frozen=True, slots=True)
class PlanInput:
    start: date
    exam_day: date
    weekday_hours: tuple[float, ...]
    objectives: tuple[ObjectiveWeight, ...]
    mastery: Mapping[str, float] = field(default_factory=dict)
    adjustments: Mapping[str, float] = field(default_factory=dict)
    days_off: frozenset[date] = frozenset()
    review_hours: Mapping[date, float] = field(default_factory=dict)
    prerequisite_hours: float = 0.0
    preset: PresetName | None = None
    # Hours to study the whole outline from nothing, with no preset (the exam's study_hours in the catalog).
    study_hours: float = 70.0


@dataclass(frozen=True, slots=True)
class Block:
    id: str
    day: date
    activity: Activity
    objective: str | None
    hours: float
    label: str = ""  # words for a learner: "baseline mock exam", "light last day", ...


@dataclass(frozen=True, slots=True)
class Plan:
    start: date
    exam_day: date
    blocks: tuple[Block, ...]
    hours_needed: float
    hours_available: float
    realistic: bool
    advice: str


@dataclass(frozen=True, slots=True)
class PresetWording:
    name: PresetName
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class PlanRules:
    """A pack's plan rules. `adjustments`: certification id held -> {"groups"|"objectives": {id: multiplier}}."""

    presets: tuple[PresetWording, ...] = ()
    prerequisite_hours: float = 0.0
    prerequisite_certifications: tuple[str, ...] = ()
    adjustments: Mapping[str, Mapping[str, Mapping[str, float]]] = field(default_factory=dict)


MOCK_LABEL: dict[MockKind, str] = {
    "baseline": "baseline mock exam",
    "mid-way": "mid-way mock exam",
    "final": "final mock exam",
}


@dataclass(frozen=True, slots=True)
class Done:
    """What the kept (done) blocks already cover."""

    by_objective: dict[str, int]
    prerequisite: int
    fixed: int  # quarters of done blocks without an objective (reviews, mocks, prerequisite)
    total: int
    mocks: frozenset[MockKind]
    used: dict[date, int]


def blocks_done(kept: Sequence[Block]) -> Done:
    by_objective: dict[str, int] = {}
    used: dict[date, int] = {}
    prerequisite = fixed = total = 0
    mocks: set[MockKind] = set()
    for b in kept:
        q = round(b.hours * 4)
        total += q
        used[b.day] = used.get(b.day, 0) + q
        if b.objective is not None:
            by_objective[b.objective] = by_objective.get(b.objective, 0) + q
            continue
        fixed += q
        prerequisite += q if b.activity == "prerequisite" else 0
        mocks.update(k for k, label in MOCK_LABEL.items() if b.activity == "mock-exam" and b.label == label)
    return Done(by_objective, prerequisite, fixed, total, frozenset(mocks), used)


def mock_kinds(n: int, done: frozenset[MockKind] = frozenset()) -> tuple[MockKind, ...]:
    """The mock exams a window of n days still needs: the baseline needs 2 days' distance from the final (3 days
    before the exam), so 5 days at least; a mid-way one from 10 days. None is redone, nor one that a later one
    has superseded."""
    kinds: list[MockKind] = []
    if n >= 5 and not done & {"mid-way", "final"}:
        kinds.append("baseline")
    if n >= 10 and "final" not in done:
        kinds.append("mid-way")
    if n >= 2:
        kinds.append("final")
    return tuple(k for k in kinds if k not in done)

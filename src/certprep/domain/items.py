"""Item types, learner responses, their validation, and the grading rules (partial credit, never negative).

Grading (see docs/scoring.md): one point per correct component unless the item says `scoring: all-or-nothing`.
- single choice: 1 point for the key.
- multiple response ("choose n"): 1 point per chosen key; choosing more than n is a malformed response.
- build list: 1 point per key action in the right relative order = the length of the longest common subsequence
  of the response and the key (distractor actions earn nothing; at most len(key) actions may be placed).
- drag and drop: 1 point per target holding its key value; a value used twice when reuse is off is malformed.
- hot area: 1 point per blank answered with its key.
- yes/no statement: 1 point for the right answer; each statement is its own item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from certprep.errors import InvalidInput

ItemStatus = Literal["draft", "reviewed", "retired"]
Scoring = Literal["per-component", "all-or-nothing"]


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    checked: date


@dataclass(frozen=True, slots=True)
class IrtParams:
    """Item parameters on the logistic scale with where they came from (author prior or a calibration run)."""

    a: float
    b: float
    c: float
    provenance: str


@dataclass(frozen=True, slots=True)
class ItemMeta:
    id: str
    objective: str
    outline: date
    difficulty: int
    author: str
    reviewer: str | None
    status: ItemStatus
    sources: tuple[Source, ...]
    angoff: float | None = None
    tags: tuple[str, ...] = ()
    irt: IrtParams | None = None
    review_note: str | None = None
    explanation: str = ""
    scoring: Scoring = "per-component"
    container: str | None = None
    pilot: bool = False
    retires_with: tuple[str, ...] = ()
    retires_on: date | None = None  # the earliest date of the retirements named in retires_with


def in_service(meta: ItemMeta, on: date) -> bool:
    """Whether the topics an item retires with are still in service on a day: an item tied to a topic retiring on
    day D is in service on D-1 and out from D on."""
    return meta.retires_on is None or on < meta.retires_on


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: str
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class SingleChoice:
    meta: ItemMeta
    prompt: str
    options: tuple[Option, ...]
    key: str
    type: Literal["single"] = "single"


@dataclass(frozen=True, slots=True)
class MultipleResponse:
    meta: ItemMeta
    prompt: str
    options: tuple[Option, ...]
    key: frozenset[str]
    choose: int
    type: Literal["multiple"] = "multiple"


@dataclass(frozen=True, slots=True)
class BuildList:
    meta: ItemMeta
    prompt: str
    options: tuple[Option, ...]
    key: tuple[str, ...]
    type: Literal["build-list"] = "build-list"


@dataclass(frozen=True, slots=True)
class DragDrop:
    meta: ItemMeta
    prompt: str
    values: tuple[Option, ...]
    targets: tuple[Option, ...]
    key: tuple[tuple[str, str], ...]
    reuse: bool
    type: Literal["drag-drop"] = "drag-drop"


@dataclass(frozen=True, slots=True)
class Blank:
    id: str
    options: tuple[Option, ...]
    key: str


@dataclass(frozen=True, slots=True)
class HotArea:
    meta: ItemMeta
    prompt: str
    blanks: tuple[Blank, ...]
    type: Literal["hot-area"] = "hot-area"


@dataclass(frozen=True, slots=True)
class YesNoStatement:
    """One statement of a yes/no series: its own scored item; it locks once answered in an exam."""

    meta: ItemMeta
    prompt: str
    statement: str
    key: bool
    position: int
    type: Literal["yes-no"] = "yes-no"


Item = SingleChoice | MultipleResponse | BuildList | DragDrop | HotArea | YesNoStatement
ITEM_TYPES = ("single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no")


def check_item_types(types: Iterable[str], *, field: str = "types") -> None:
    """Every name is an item type; else an InvalidInput listing the types there are."""
    for kind in types:
        if kind not in ITEM_TYPES:
            raise InvalidInput(
                f"unknown item type {kind!r}; choose one of: {', '.join(ITEM_TYPES)}", field=field
            )


@dataclass(frozen=True, slots=True)
class YesNoSeries:
    """A container keeping statements together and in order; not an item."""

    id: str
    prompt: str
    statements: tuple[YesNoStatement, ...]


@dataclass(frozen=True, slots=True)
class CaseStudy:
    """A scenario in tabs with 4-8 scored items; not an item."""

    id: str
    title: str
    tabs: tuple[tuple[str, str], ...]
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Flashcard:
    id: str
    objective: str
    front: str
    back: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class StudyLink:
    objective: str
    title: str
    url: str
    kind: Literal["documentation", "learn-module"]
    checked: date | None = None


@dataclass(frozen=True, slots=True)
class Bank:
    """Every scored item of a pack (series and case-study items included, flattened) and its containers."""

    items: tuple[Item, ...]
    series: tuple[YesNoSeries, ...] = ()
    case_studies: tuple[CaseStudy, ...] = ()
    flashcards: tuple[Flashcard, ...] = ()
    study_links: tuple[StudyLink, ...] = ()

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.meta.id == item_id), None)


# Responses -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grade:
    points: int
    max_points: int
    correct: tuple[bool, ...]

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


Response = str | frozenset[str] | tuple[str, ...] | tuple[tuple[str, str], ...] | bool


def max_points(item: Item) -> int:
    """Points available on an item."""
    if item.meta.scoring == "all-or-nothing":
        return 1
    match item:
        case MultipleResponse():
            return item.choose
        case BuildList():
            return len(item.key)
        case DragDrop():
            return len(item.targets)
        case HotArea():
            return len(item.blanks)
        case _:
            return 1


def parse_response(item: Item, raw: Any) -> Response:
    """Check a raw response (JSON-like) against the item; a malformed one is an InvalidInput saying why."""
    where = f"response to {item.meta.id}"
    match item:
        case SingleChoice():
            if not isinstance(raw, str) or raw not in {o.id for o in item.options}:
                raise InvalidInput(
                    f"{where}: expected one option id of {_ids(item.options)}", item=item.meta.id
                )
            return raw
        case MultipleResponse():
            chosen = _distinct_ids(raw, {o.id for o in item.options}, where, item.meta.id)
            if len(chosen) > item.choose:
                raise InvalidInput(
                    f"{where}: choose at most {item.choose}, got {len(chosen)}", item=item.meta.id
                )
            return frozenset(chosen)
        case BuildList():
            order = _distinct_ids(raw, {o.id for o in item.options}, where, item.meta.id)
            if len(order) > len(item.key):
                raise InvalidInput(
                    f"{where}: place at most {len(item.key)} actions, got {len(order)}", item=item.meta.id
                )
            return tuple(order)
        case DragDrop():
            mapping = _mapping(raw, {t.id for t in item.targets}, where, item.meta.id)
            values = {v.id for v in item.values}
            for target, value in mapping.items():
                if value not in values:
                    raise InvalidInput(
                        f"{where}: {value!r} is not a value of this item (target {target!r})",
                        item=item.meta.id,
                    )
            if not item.reuse and len(set(mapping.values())) != len(mapping):
                raise InvalidInput(f"{where}: each value may be used only once", item=item.meta.id)
            return tuple(sorted(mapping.items()))
        case HotArea():
            blanks = {b.id: b for b in item.blanks}
            mapping = _mapping(raw, set(blanks), where, item.meta.id)
            for blank_id, choice in mapping.items():
                if choice not in {o.id for o in blanks[blank_id].options}:
                    raise InvalidInput(
                        f"{where}: {choice!r} is not an option of blank {blank_id!r}", item=item.meta.id
                    )
            return tuple(sorted(mapping.items()))
        case YesNoStatement():
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lower() in ("yes", "no"):
                return raw.lower() == "yes"
            raise InvalidInput(f"{where}: expected yes or no", item=item.meta.id)
    raise InvalidInput(f"{where}: unknown item type")  # pragma: no cover - the match is exhaustive


def grade(item: Item, response: Response) -> Grade:
    """Points earned by a parsed response; never negative, never above max_points."""
    correct = _components(item, response)
    if item.meta.scoring == "all-or-nothing":
        whole = all(correct) and len(correct) > 0
        return Grade(int(whole), 1, correct)
    return Grade(sum(correct), max_points(item), correct)


def _components(item: Item, response: Response) -> tuple[bool, ...]:
    match item:
        case SingleChoice():
            return (response == item.key,)
        case MultipleResponse():
            assert isinstance(response, frozenset)
            hits = [k in response for k in sorted(item.key)]
            return tuple(hits)
        case BuildList():
            assert isinstance(response, tuple)
            lcs = _lcs([r for r in response if isinstance(r, str)], list(item.key))
            return tuple(i < lcs for i in range(len(item.key)))
        case DragDrop():
            given = response_pairs(response)
            return tuple(given.get(t) == v for t, v in item.key)
        case HotArea():
            given = response_pairs(response)
            return tuple(given.get(b.id) == b.key for b in item.blanks)
        case YesNoStatement():
            return (response is item.key,)
    return ()  # pragma: no cover


def response_pairs(response: Response) -> dict[str, str]:
    if not isinstance(response, tuple):
        return {}
    return {p[0]: p[1] for p in response if isinstance(p, tuple)}


def _lcs(a: list[str], b: list[str]) -> int:
    """Longest common subsequence length (dynamic programming, O(len(a) * len(b)))."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _ids(options: tuple[Option, ...]) -> str:
    return ", ".join(o.id for o in options)


def _distinct_ids(raw: Any, allowed: set[str], where: str, item_id: str) -> list[str]:
    if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
        raise InvalidInput(f"{where}: expected a list of option ids", item=item_id)
    unknown = [x for x in raw if x not in allowed]
    if unknown:
        raise InvalidInput(f"{where}: unknown option ids {unknown}", item=item_id)
    if len(set(raw)) != len(raw):
        raise InvalidInput(f"{where}: an option is given twice", item=item_id)
    return list(raw)


def _mapping(raw: Any, keys: set[str], where: str, item_id: str) -> dict[str, str]:
    if isinstance(raw, tuple | list):
        try:
            raw = dict(raw)
        except (TypeError, ValueError):
            raise InvalidInput(f"{where}: expected a mapping", item=item_id) from None
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise InvalidInput(f"{where}: expected a mapping of ids to ids", item=item_id)
    unknown = [k for k in raw if k not in keys]
    if unknown:
        raise InvalidInput(f"{where}: unknown ids {unknown}", item=item_id)
    return dict(raw)

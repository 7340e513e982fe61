"""Reads a pack's item bank: Markdown files with YAML front matter, flashcards and study links.

Every problem is reported as file:line: message; a Bank is built only from files without errors, so one broken
file never hides the others' problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from certprep.domain.items import (
    Bank,
    Blank,
    BuildList,
    CaseStudy,
    DragDrop,
    Flashcard,
    HotArea,
    IrtParams,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    StudyLink,
    YesNoSeries,
    YesNoStatement,
)
from certprep.packs.links import WebUrl, markdown_problems, yaml_link_problems
from certprep.packs.retirements import retirement_dates
from certprep.packs.revisions import canonical, revision_of
from certprep.packs.yamlfile import Located, Problem, YamlError, parse_yaml, read_yaml, validation_problems

ID = r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$"
LOCAL_ID = r"^[a-z0-9][a-z0-9-]*$"
BLANK = re.compile(r"\[\[blank:([a-z0-9-]+)\]\]")
FRONT = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.S)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    url: Annotated[WebUrl, Field(pattern=r"^https://(learn\.microsoft\.com|docs\.github\.com)/\S+$")]
    checked: date


class IrtModel(_Strict):
    a: float = Field(gt=0, le=4)
    b: float = Field(ge=-6, le=6)
    c: float = Field(default=0.0, ge=0, lt=1)
    provenance: str = Field(min_length=1)


class OptionModel(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    text: str = Field(min_length=1)
    explanation: str = Field(min_length=1)


class ValueModel(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    text: str = Field(min_length=1)
    explanation: str = ""


class BlankModel(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    options: list[OptionModel] = Field(min_length=2)
    key: str


def _yes_no(value: Any) -> Any:
    """YAML 1.1 reads bare yes/no as booleans; accept both spellings."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class _Meta(_Strict):
    objective: str = Field(pattern=LOCAL_ID)
    difficulty: int = Field(ge=1, le=5)
    sources: list[SourceModel] = Field(min_length=1)
    outline: date | None = None
    angoff: float | None = Field(default=None, gt=0, lt=1)
    author: str | None = None
    reviewer: str | None = None
    status: Literal["draft", "reviewed", "retired"] | None = None
    review_note: str | None = None
    tags: list[str] = []
    irt: IrtModel | None = None
    explanation: str = ""
    scoring: Literal["per-component", "all-or-nothing"] = "per-component"
    pilot: bool = False
    retires_with: list[Annotated[str, Field(pattern=LOCAL_ID)]] = []


class SingleModel(_Meta):
    type: Literal["single"]
    id: str
    prompt: str = ""
    options: list[OptionModel] = Field(min_length=3, max_length=6)
    key: str


class MultipleModel(_Meta):
    type: Literal["multiple"]
    id: str
    prompt: str = ""
    options: list[OptionModel] = Field(min_length=4, max_length=8)
    choose: int = Field(ge=2, le=4)
    key: list[str]


class BuildListModel(_Meta):
    type: Literal["build-list"]
    id: str
    prompt: str = ""
    options: list[OptionModel] = Field(min_length=3)
    key: list[str] = Field(min_length=2)


class DragDropModel(_Meta):
    type: Literal["drag-drop"]
    id: str
    prompt: str = ""
    values: list[ValueModel] = Field(min_length=2)
    targets: list[OptionModel] = Field(min_length=2)
    key: dict[str, str]
    reuse: bool = False


class HotAreaModel(_Meta):
    type: Literal["hot-area"]
    id: str
    prompt: str = ""
    blanks: list[BlankModel] = Field(min_length=1)


class StatementModel(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    text: str = Field(min_length=1)
    key: Literal["yes", "no"]
    explanation: str = Field(min_length=1)
    difficulty: int | None = Field(default=None, ge=1, le=5)
    objective: str | None = None
    sources: list[SourceModel] | None = None
    angoff: float | None = Field(default=None, gt=0, lt=1)

    _key = field_validator("key", mode="before")(_yes_no)


class SeriesModel(_Meta):
    type: Literal["yes-no-series"]
    id: str
    statements: list[StatementModel] = Field(min_length=2)


CaseItemModel = Annotated[
    SingleModel | MultipleModel | BuildListModel | DragDropModel | HotAreaModel, Field(discriminator="type")
]


class TabModel(_Strict):
    title: str
    body: str = Field(min_length=1)


class CaseStudyModel(_Strict):
    type: Literal["case-study"]
    id: str
    title: str
    outline: date | None = None
    author: str | None = None
    reviewer: str | None = None
    status: Literal["draft", "reviewed", "retired"] | None = None
    review_note: str | None = None
    tags: list[str] = []
    retires_with: list[Annotated[str, Field(pattern=LOCAL_ID)]] = []
    tabs: list[TabModel] = Field(min_length=2)
    items: list[CaseItemModel] = Field(min_length=4, max_length=8)


FileModel = Annotated[
    SingleModel
    | MultipleModel
    | BuildListModel
    | DragDropModel
    | HotAreaModel
    | SeriesModel
    | CaseStudyModel,
    Field(discriminator="type"),
]
FILE_ADAPTER: TypeAdapter[Any] = TypeAdapter(FileModel)
REQUIRED_TOP = ("id", "outline", "author", "status")
TYPE_TAGS = frozenset(
    {"single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no-series", "case-study"}
)


class FlashcardModel(_Strict):
    id: str = Field(pattern=ID)
    objective: str = Field(pattern=LOCAL_ID)
    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    sources: list[SourceModel] = Field(min_length=1)


class StudyLinkModel(_Strict):
    objective: str = Field(pattern=LOCAL_ID)
    title: str
    url: Annotated[WebUrl, Field(pattern=r"^https://\S+$")]
    kind: Literal["documentation", "learn-module"] = "documentation"
    checked: date | None = None


FLASHCARDS: TypeAdapter[list[FlashcardModel]] = TypeAdapter(list[FlashcardModel])
STUDY_LINKS: TypeAdapter[list[StudyLinkModel]] = TypeAdapter(list[StudyLinkModel])


@dataclass(frozen=True, slots=True)
class ItemSource:
    """Where an item came from, and its revision: the hash of its scored content."""

    item_id: str
    file: str
    line: int
    revision: str
    content: str


@dataclass
class LoadedBank:
    bank: Bank
    problems: list[Problem]
    sources: dict[str, ItemSource]
    prompts: dict[str, tuple[str, int]]


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts) or None when there is no front matter."""
    m = FRONT.match(text)
    if not m:
        return None
    return m.group(1), m.group(2), m.group(1).count("\n") + 4


def load_bank(root: Path) -> LoadedBank:
    """Read every item file, flashcard file and study-link file of a pack."""
    problems: list[Problem] = []
    items: list[Item] = []
    series: list[YesNoSeries] = []
    cases: list[CaseStudy] = []
    sources: dict[str, ItemSource] = {}
    prompts: dict[str, tuple[str, int]] = {}
    retiring = retirement_dates(root)
    for path in sorted((root / "items").rglob("*.md")):
        rel = _rel(root, path)
        text = path.read_text(encoding="utf-8")
        result = read_item_file(text, rel, retiring)
        problems.extend(result.problems)
        items.extend(result.items)
        series.extend(result.series)
        cases.extend(result.cases)
        for item in result.items:
            sources[item.meta.id] = ItemSource(
                item.meta.id,
                rel,
                result.lines.get(item.meta.id, 1),
                revision_of(item),
                result.raw[item.meta.id],
            )
            prompts[item.meta.id] = (rel, result.body_line)
    flashcards = _read_list(root, "flashcards", FLASHCARDS, problems)
    links = _read_list(root, "study-links", STUDY_LINKS, problems)
    bank = Bank(
        items=tuple(items),
        series=tuple(series),
        case_studies=tuple(cases),
        flashcards=tuple(
            Flashcard(f.id, f.objective, f.front, f.back, tuple(Source(s.url, s.checked) for s in f.sources))
            for f in flashcards
        ),
        study_links=tuple(StudyLink(x.objective, x.title, x.url, x.kind, x.checked) for x in links),
    )
    return LoadedBank(bank, problems, sources, prompts)


@dataclass
class FileResult:
    items: list[Item]
    series: list[YesNoSeries]
    cases: list[CaseStudy]
    problems: list[Problem]
    lines: dict[str, int]
    raw: dict[str, str]
    body_line: int = 1


def read_item_file(text: str, rel: str, retiring: Mapping[str, date] | None = None) -> FileResult:
    """Parse one Markdown item file into items (and their container), or problems; `retiring` maps the pack's
    retirement ids to their dates (an unknown id in `retires_with` is a problem)."""
    out = FileResult([], [], [], [], {}, {})
    parts = split_front_matter(text)
    if parts is None:
        out.problems.append(Problem(rel, 1, "no YAML front matter: the file must start with a line '---'"))
        return out
    front, body, body_line = parts
    out.body_line = body_line
    try:
        located = parse_yaml(front, line_offset=1)
    except YamlError as exc:
        out.problems.append(Problem(rel, exc.line, exc.message))
        return out
    data = located.data
    if not isinstance(data, dict):
        out.problems.append(Problem(rel, 2, "front matter must be a mapping"))
        return out
    out.problems.extend(yaml_link_problems(located, rel))
    out.problems.extend(markdown_problems(body, rel, body_line, "body"))
    for key in REQUIRED_TOP:
        if key not in data:
            out.problems.append(Problem(rel, 2, f"{key}: field required"))
    if data.get("type") != "case-study" and "prompt" in data:
        out.problems.append(
            Problem(rel, located.line_of(("prompt",)), "prompt: write the prompt in the file body")
        )
    try:
        model = FILE_ADAPTER.validate_python(
            {**data, **({"prompt": body} if data.get("type") not in ("case-study", "yes-no-series") else {})}
        )
    except ValidationError as exc:
        out.problems.extend(validation_problems(exc, located, rel, tags=TYPE_TAGS))
        return out
    retiring = retiring or {}
    for path, names in _retires_with(model):
        for n, name in enumerate(names):
            if name not in retiring:
                known = ", ".join(sorted(retiring)) or "none: the pack has no retirements.yaml entry"
                where = located.line_of((*path, "retires_with", n))
                out.problems.append(
                    Problem(rel, where, f"retires_with: unknown retirement {name!r} (known: {known})")
                )
    if out.problems:
        return out
    top = _Top.of(model, retiring)
    if isinstance(model, CaseStudyModel):
        built: list[Item] = []
        for i, sub in enumerate(model.items):
            item = _build(sub, top, f"{model.id}/{sub.id}", sub.prompt, container=model.id)
            out.lines[item.meta.id] = located.line_of(("items", i))
            out.raw[item.meta.id] = canonical({"case": model.id, **sub.model_dump(mode="json")})
            built.append(item)
        out.items.extend(built)
        out.cases.append(
            CaseStudy(model.id, model.title, tuple((t.title, t.body) for t in model.tabs), tuple(built))
        )
    elif isinstance(model, SeriesModel):
        statements = []
        for i, st in enumerate(model.statements):
            meta = _meta(model, top, f"{model.id}/{st.id}", container=model.id, overrides=st)
            statement = YesNoStatement(meta, body, st.text, st.key == "yes", i)
            out.lines[meta.id] = located.line_of(("statements", i))
            out.raw[meta.id] = canonical({"scenario": body, **st.model_dump(mode="json")})
            statements.append(statement)
        out.items.extend(statements)
        out.series.append(YesNoSeries(model.id, body, tuple(statements)))
    else:
        item = _build(model, top, model.id, body)
        out.lines[item.meta.id] = located.line_of(("id",))
        out.raw[item.meta.id] = canonical(model.model_dump(mode="json"))
        out.items.append(item)
    return out


def _retires_with(model: Any) -> list[tuple[tuple[str | int, ...], list[str]]]:
    """Every `retires_with` list of a file with its key path (a case study's own and each of its items')."""
    found: list[tuple[tuple[str | int, ...], list[str]]] = [((), list(model.retires_with))]
    if isinstance(model, CaseStudyModel):
        found += [(("items", i), list(sub.retires_with)) for i, sub in enumerate(model.items)]
    return found


@dataclass(frozen=True)
class _Top:
    outline: date
    author: str
    reviewer: str | None
    status: Literal["draft", "reviewed", "retired"]
    review_note: str | None
    tags: tuple[str, ...]
    retires_with: tuple[str, ...]
    retiring: Mapping[str, date]

    @staticmethod
    def of(m: Any, retiring: Mapping[str, date]) -> _Top:
        return _Top(
            m.outline,
            m.author,
            m.reviewer,
            m.status,
            m.review_note,
            tuple(m.tags),
            tuple(m.retires_with),
            retiring,
        )


def _meta(
    m: Any, top: _Top, item_id: str, *, container: str | None = None, overrides: StatementModel | None = None
) -> ItemMeta:
    srcs = (overrides.sources if overrides and overrides.sources else None) or m.sources
    topics = tuple(dict.fromkeys((*top.retires_with, *m.retires_with)))
    return ItemMeta(
        id=item_id,
        objective=(overrides.objective if overrides and overrides.objective else None) or m.objective,
        outline=getattr(m, "outline", None) or top.outline,
        difficulty=(overrides.difficulty if overrides and overrides.difficulty else None) or m.difficulty,
        author=getattr(m, "author", None) or top.author,
        reviewer=getattr(m, "reviewer", None) if getattr(m, "reviewer", None) is not None else top.reviewer,
        status=getattr(m, "status", None) or top.status,
        sources=tuple(Source(s.url, s.checked) for s in srcs),
        angoff=(overrides.angoff if overrides and overrides.angoff else None) or m.angoff,
        tags=tuple(m.tags) or top.tags,
        irt=IrtParams(m.irt.a, m.irt.b, m.irt.c, m.irt.provenance) if m.irt else None,
        review_note=getattr(m, "review_note", None) or top.review_note,
        explanation=overrides.explanation if overrides else m.explanation,
        scoring=m.scoring,
        container=container,
        pilot=m.pilot,
        retires_with=topics,
        retires_on=min((top.retiring[t] for t in topics), default=None),
    )


def _options(opts: list[OptionModel] | list[ValueModel]) -> tuple[Option, ...]:
    return tuple(Option(o.id, o.text, o.explanation) for o in opts)


def _build(m: Any, top: _Top, item_id: str, prompt: str, *, container: str | None = None) -> Item:
    meta = _meta(m, top, item_id, container=container)
    if isinstance(m, SingleModel):
        return SingleChoice(meta, prompt, _options(m.options), m.key)
    if isinstance(m, MultipleModel):
        return MultipleResponse(meta, prompt, _options(m.options), frozenset(m.key), m.choose)
    if isinstance(m, BuildListModel):
        return BuildList(meta, prompt, _options(m.options), tuple(m.key))
    if isinstance(m, DragDropModel):
        return DragDrop(meta, prompt, _options(m.values), _options(m.targets), tuple(m.key.items()), m.reuse)
    assert isinstance(m, HotAreaModel)
    return HotArea(meta, prompt, tuple(Blank(b.id, _options(b.options), b.key) for b in m.blanks))


def _read_list(root: Path, folder: str, adapter: TypeAdapter[Any], problems: list[Problem]) -> list[Any]:
    out: list[Any] = []
    for path in sorted((root / folder).glob("*.yaml")):
        rel = _rel(root, path)
        try:
            located: Located = read_yaml(path)
        except YamlError as exc:
            problems.append(Problem(rel, exc.line, exc.message))
            continue
        problems.extend(yaml_link_problems(located, rel))
        try:
            out.extend(adapter.validate_python(located.data or []))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, located, rel))
    return out


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)

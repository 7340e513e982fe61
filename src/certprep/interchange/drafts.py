"""Questions as a foreign file states them (`Draft`), and the one place that turns them into certprep units.

Readers (Moodle XML, GIFT, CSV, QTI) only say what the file says; `build_units` then:
- gives ids: a certprep id the file carries is kept (its pack prefix renamed to the target pack's, with a
  warning); otherwise `<pack>/<objective>/<slug of the title or stem>`, made unique;
- groups: a description followed by true/false questions becomes a yes/no series (the description is the
  scenario); a description followed by other questions becomes a case study (its `## ` headings are the tabs);
  a description with an id owns exactly the questions whose ids extend it;
- fills metadata: certprep metadata the file carries (QTI) is used as is; else the objective comes from the
  category when it names one of the pack's objectives (otherwise the category becomes a tag), and the rest from
  `ImportDefaults`, listed in one warning per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from certprep.domain.items import (
    Blank,
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    IrtParams,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    YesNoSeries,
    YesNoStatement,
)
from certprep.interchange.report import ImportDefaults, Lost, Parsed, Unit, slug

DraftKind = Literal["single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no", "description"]
CERTPREP_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$")
LOCAL = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TAB = re.compile(r"^## +(.+)$", re.M)


@dataclass
class Draft:
    where: str
    kind: DraftKind
    prompt: str
    ident: str | None = None
    title: str | None = None
    options: list[Option] = field(default_factory=list)
    targets: list[Option] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    choose: int = 0
    reuse: bool = False
    blanks: list[Blank] = field(default_factory=list)
    yes: bool = False
    explanation: str = ""
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] | None = None
    lost: list[str] = field(default_factory=list)
    group: str | None = None  # a shared stimulus (QTI): a description owns the questions of its group


def letters(n: int) -> list[str]:
    """Option ids for a format that keeps none: a, b, ... z, then o27, o28..."""
    return [chr(97 + i) if i < 26 else f"o{i + 1}" for i in range(n)]


class _Builder:
    def __init__(self, defaults: ImportDefaults) -> None:
        self.d = defaults
        self.warnings: list[Lost] = []
        self.problems: list[str] = []
        self.taken: set[str] = set()

    def unique(self, wanted: str) -> str:
        out, n = wanted, 2
        while out in self.taken:
            out, n = f"{wanted}-{n}", n + 1
        self.taken.add(out)
        return out

    def top_id(self, d: Draft, objective: str, prefix: str | None = None) -> str:
        if d.ident and CERTPREP_ID.match(d.ident):
            head, _, rest = d.ident.partition("/")
            if head != self.d.pack:
                renamed = f"{self.d.pack}/{rest}"
                self.warnings.append(Lost(renamed, f"id renamed from {d.ident} to the pack's prefix"))
                return self.unique(renamed)
            return self.unique(d.ident)
        base = d.ident or d.title or d.prompt[:60]
        return self.unique(f"{self.d.pack}/{prefix or objective}/{slug(base)}")

    def objective(self, d: Draft) -> tuple[str | None, list[str]]:
        """The objective (from metadata, a category naming one, or the default) and tags the category gives."""
        if d.meta and isinstance(d.meta.get("objective"), str):
            return d.meta["objective"], []
        tags: list[str] = []
        if d.category:
            leaf = slug(d.category.rstrip("/").rsplit("/", 1)[-1])
            if leaf in self.d.objectives:
                return leaf, []
            if leaf not in ("top", "default", "item"):
                tags.append(leaf)
        return self.d.objective, tags

    def meta(
        self, d: Draft, item_id: str, objective: str, tags: list[str], container: str | None
    ) -> ItemMeta:
        m = d.meta or {}
        filled: list[str] = []

        def pick(key: str, default: Any, label: str) -> Any:
            if m.get(key) is not None:
                return m[key]
            filled.append(label)
            return default

        outline = pick("outline", self.d.outline.isoformat(), f"outline {self.d.outline}")
        difficulty = pick("difficulty", self.d.difficulty, f"difficulty {self.d.difficulty}")
        author = pick("author", self.d.author, f"author {self.d.author!r}")
        status = pick("status", self.d.status, f"status {self.d.status}")
        sources = tuple(
            Source(s["url"], date.fromisoformat(str(s["checked"]))) for s in m.get("sources") or ()
        )
        if not sources:
            sources = self.d.sources
            if sources:
                filled.append("sources")
            else:
                self.problems.append(
                    f"{d.where}: item {item_id}: no source: the file holds none; give a default source "
                    "(learn.microsoft.com or docs.github.com)"
                )
        if filled:
            self.warnings.append(
                Lost(item_id, "not in the file, set from the import's defaults: " + ", ".join(filled))
            )
        irt = m.get("irt")
        return ItemMeta(
            id=item_id,
            objective=objective,
            outline=date.fromisoformat(str(outline)),
            difficulty=int(difficulty),
            author=str(author),
            reviewer=m.get("reviewer"),
            status=status,
            sources=sources,
            angoff=m.get("angoff"),
            tags=tuple(m["tags"]) if "tags" in m else tuple(dict.fromkeys([*d.tags, *tags])),
            irt=IrtParams(irt["a"], irt["b"], irt["c"], irt["provenance"]) if irt else None,
            review_note=m.get("review_note"),
            explanation=d.explanation,
            scoring=m.get("scoring", "per-component"),
            container=container,
            pilot=bool(m.get("pilot", False)),
            retires_with=tuple(str(n) for n in m.get("retires_with") or ()),
            retires_on=date.fromisoformat(str(m["retires_on"])) if m.get("retires_on") else None,
        )

    def item(self, d: Draft, item_id: str, objective: str, tags: list[str], container: str | None) -> Item:
        for what in d.lost:
            self.warnings.append(Lost(item_id, what))
        meta = self.meta(d, item_id, objective, tags, container)
        match d.kind:
            case "single":
                return SingleChoice(meta, d.prompt, tuple(d.options), d.key[0] if d.key else "")
            case "multiple":
                return MultipleResponse(
                    meta, d.prompt, tuple(d.options), frozenset(d.key), d.choose or len(d.key)
                )
            case "build-list":
                return BuildList(meta, d.prompt, tuple(d.options), tuple(d.key))
            case "drag-drop":
                return DragDrop(meta, d.prompt, tuple(d.options), tuple(d.targets), tuple(d.pairs), d.reuse)
            case "hot-area":
                return HotArea(meta, d.prompt, tuple(d.blanks))
        raise AssertionError(d.kind)  # pragma: no cover - yes-no and description are grouped by the caller


def build_units(drafts: list[Draft], defaults: ImportDefaults) -> Parsed:
    """Foreign questions -> certprep units with warnings and problems (see the module docstring)."""
    b = _Builder(defaults)
    units: list[Unit] = []
    i = 0
    while i < len(drafts):
        d = drafts[i]
        if d.kind != "description":
            j = i + 1
            if d.kind == "yes-no":
                units.append(_series(b, None, [d]))
            else:
                units.append(_single(b, d))
            i = j
            continue
        j = i + 1
        while j < len(drafts) and _member(d, drafts[j], drafts[i + 1 : j]):
            j += 1
        members = drafts[i + 1 : j]
        if not members:
            b.warnings.append(Lost(d.title or d.where, "a description with no question after it was skipped"))
        elif all(m.kind == "yes-no" for m in members):
            units.append(_series(b, d, members))
        else:
            units.append(_case(b, d, members))
        i = j
    return Parsed(tuple(units), tuple(b.warnings), tuple(b.problems))


def _member(head: Draft, d: Draft, before: list[Draft]) -> bool:
    if d.kind == "description":
        return False
    if head.group is not None:
        return d.group == head.group
    if head.ident and CERTPREP_ID.match(head.ident):
        return bool(d.ident and d.ident.startswith(head.ident + "/"))
    if d.category != head.category:
        return False
    return not before or (before[0].kind == "yes-no") == (d.kind == "yes-no")


def _need_objective(b: _Builder, d: Draft, objective: str | None) -> str:
    if objective is None:
        b.problems.append(
            f"{d.where}: no objective: the file's category names none of the pack's objectives; "
            "give a default objective"
        )
        return "unknown"
    return objective


def _single(b: _Builder, d: Draft) -> Item:
    objective, tags = b.objective(d)
    objective = _need_objective(b, d, objective)
    return b.item(d, b.top_id(d, objective), objective, tags, None)


def _local(d: Draft, parent: str, n: int, stem: str) -> str:
    if d.ident and d.ident.startswith(parent + "/") and LOCAL.match(d.ident[len(parent) + 1 :]):
        return d.ident[len(parent) + 1 :]
    tail = d.ident.rsplit("/", 1)[-1] if d.ident else ""
    return tail if tail and LOCAL.match(tail) else f"{stem}{n}"


def _series(b: _Builder, head: Draft | None, members: list[Draft]) -> YesNoSeries:
    first = head or members[0]
    objective, tags = b.objective(head if head and head.meta else members[0])
    objective = _need_objective(b, first, objective)
    if head is not None:
        series_id = b.top_id(head, objective)
        scenario = head.prompt
    else:
        base = members[0]
        series_id = b.top_id(
            Draft(base.where, "description", base.prompt, ident=None, title=base.title), objective
        )
        scenario = ""
        b.warnings.append(
            Lost(series_id, "a true/false question without a description: a yes/no series of one statement")
        )
    statements = []
    for n, m in enumerate(members, start=1):
        sid = f"{series_id}/{_local(m, head.ident if head and head.ident else '', n, 's')}"
        obj, more = b.objective(m) if m.meta else (objective, tags)
        for what in m.lost:
            b.warnings.append(Lost(sid, what))
        meta = b.meta(m, sid, obj or objective, more, series_id)
        statements.append(YesNoStatement(meta, scenario, m.prompt, m.yes, n - 1))
    return YesNoSeries(series_id, scenario, tuple(statements))


def _case(b: _Builder, head: Draft, members: list[Draft]) -> CaseStudy:
    case_id = b.top_id(head, "case-studies", prefix="case-studies")
    tabs = split_tabs(head.prompt)
    items: list[Item] = []
    for n, m in enumerate(members, start=1):
        if m.kind == "yes-no":
            b.problems.append(f"{m.where}: a case study cannot hold a true/false question")
            continue
        objective, tags = b.objective(m)
        objective = _need_objective(b, m, objective)
        local = _local(m, head.ident or "", n, "q")
        items.append(b.item(m, f"{case_id}/{local}", objective, tags, case_id))
    return CaseStudy(case_id, head.title or "Case study", tabs, tuple(items))


def split_tabs(text: str) -> tuple[tuple[str, str], ...]:
    """`## Title` sections -> tabs; text without headings is one tab, "Scenario"."""
    heads = list(TAB.finditer(text))
    if not heads:
        return (("Scenario", text.strip()),)
    tabs = []
    for k, h in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        body = text[h.end() : end]
        body = body[2:] if body.startswith("\n\n") else body.lstrip("\n")
        if k + 1 < len(heads):
            body = body[:-2] if body.endswith("\n\n") else body.rstrip("\n")
        tabs.append((h.group(1).strip(), body))
    return tuple(tabs)


def join_tabs(tabs: tuple[tuple[str, str], ...]) -> str:
    """Tabs -> one text with `## Title` headings (what `split_tabs` reads back)."""
    return "\n\n".join(f"## {title}\n\n{body}" for title, body in tabs)


_SOURCES = re.compile(r"\n*Sources:\n((?:- \S+ \(checked \d{4}-\d{2}-\d{2}\)\n?)+)\s*\Z")
_SOURCE = re.compile(r"^- (\S+) \(checked (\d{4}-\d{2}-\d{2})\)$", re.M)


def with_sources(explanation: str, sources: tuple[Source, ...]) -> str:
    """General feedback: the explanation, then a `Sources:` list a learner can follow (and `split_sources` reads)."""
    listed = "\n".join(f"- {s.url} (checked {s.checked.isoformat()})" for s in sources)
    return f"{explanation}\n\nSources:\n{listed}".strip() if sources else explanation


def split_sources(text: str) -> tuple[str, list[dict[str, str]]]:
    """(explanation, sources) from general feedback written by `with_sources`; other text is all explanation."""
    m = _SOURCES.search(text)
    if not m:
        return text, []
    found = [{"url": u, "checked": c} for u, c in _SOURCE.findall(m.group(1))]
    return text[: m.start()].strip(), found

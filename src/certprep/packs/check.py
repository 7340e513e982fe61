"""`certprep pack check`: every rule that keeps a bank honest, as file:line problems.

Rules: catalog validity; item schema (via the loader); ids namespaced by the pack and unique; objectives known to
the exam's outlines (an objective only an older outline has is a warning naming the outline change); the outline
version written for exists; answer-key sanity per type; per-option explanations, sources and check dates (not in
the future); YAML snippets parse and pipelines/workflows pass the published schema (hot-area blanks filled with
their keys first); no raw HTML outside code; a study link for every objective of the current outline;
near-duplicate items (see `similarity`); answer cues per item (warnings) and for the pack (see `domain.cues`:
errors when `strict_cues`, as for the built-in pack, warnings otherwise); labs (see `packs.labs`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from certprep.domain.catalog import Catalog, Outline
from certprep.domain.cues import cue_figures, item_cues, limits_problems
from certprep.domain.items import (
    Bank,
    BuildList,
    DragDrop,
    HotArea,
    Item,
    MultipleResponse,
    SingleChoice,
    YesNoStatement,
)
from certprep.domain.similarity import NEAR_DUPLICATE, Entry, near_duplicates
from certprep.errors import PackInvalid
from certprep.packs.catalog import load_catalog
from certprep.packs.items import BLANK, LoadedBank, load_bank
from certprep.packs.labs import lab_problems
from certprep.packs.plan import load_plan_rules
from certprep.packs.snippets import fences, snippet_problems
from certprep.packs.yamlfile import Problem

HTML_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>|<!--")
INLINE_CODE = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True, slots=True)
class CheckResult:
    catalog: Catalog | None
    bank: Bank | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def check_pack(root: Path, *, today: date, strict_cues: bool = False) -> CheckResult:
    """Run every rule over a pack folder; `strict_cues` makes the pack-level cue limits errors."""
    catalog, problems = load_catalog(root)
    loaded = load_bank(root)
    problems = [*problems, *loaded.problems]
    if catalog is not None:
        problems.extend(_item_rules(catalog, loaded, today))
    problems.extend(_near_duplicates(loaded))
    problems.extend(cue_problems(loaded, strict=strict_cues))
    if catalog is not None:
        problems.extend(_plan_rules(root))
    problems.extend(lab_problems(root, catalog))  # labs/: objectives, check kinds and arguments, files
    return CheckResult(
        catalog, loaded.bank, tuple(sorted(problems, key=lambda p: (p.file, p.line, p.message)))
    )


def _plan_rules(root: Path) -> list[Problem]:
    """plan.yaml (the study planner's rules), checked as the planner will load it."""
    try:
        load_plan_rules(root)
    except PackInvalid as e:
        out = []
        for p in e.problems:
            where, _, message = p.partition(": ")
            file, _, line = where.rpartition(":")
            out.append(Problem(file or "plan.yaml", int(line) if line.isdigit() else 1, message or p))
        return out
    return []


def _item_rules(catalog: Catalog, loaded: LoadedBank, today: date) -> list[Problem]:
    out: list[Problem] = []
    bank = loaded.bank
    exam = catalog.settings and next(
        (c.exam.code for c in catalog.certifications if catalog.outline_versions(c.exam.code)), ""
    )
    outlines = catalog.outline_versions(exam) if exam else []
    current = outlines[-1] if outlines else None
    versions = {o.version for o in outlines}
    prefix = f"{catalog.pack_id}/"
    seen: dict[str, str] = {}
    for item in bank.items:
        src = loaded.sources[item.meta.id]
        at = (src.file, src.line)
        if item.meta.id in seen:
            out.append(Problem(*at, f"duplicate item id {item.meta.id!r} (also in {seen[item.meta.id]})"))
        seen[item.meta.id] = src.file
        if not item.meta.id.startswith(prefix):
            out.append(Problem(*at, f"id {item.meta.id!r} must start with {prefix!r}"))
        if item.meta.outline not in versions:
            out.append(Problem(*at, f"outline {item.meta.outline} is not a version of {exam}'s outline"))
        out.extend(_objective_rule(item, outlines, current, at))
        for s in item.meta.sources:
            if s.checked > today:
                out.append(Problem(*at, f"source {s.url} has a check date in the future ({s.checked})"))
        out.extend(Problem(*at, m, "warning") for m in retirement_flags(item, catalog, today))
        out.extend(Problem(*at, m) for m in key_problems(item))
        out.extend(_markdown_rules(item, loaded))
    for fc in bank.flashcards:
        if (
            current is not None
            and current.objective(fc.objective) is None
            and not any(o.objective(fc.objective) for o in outlines)
        ):
            out.append(Problem("flashcards", 1, f"flashcard {fc.id}: unknown objective {fc.objective!r}"))
    for fc in bank.flashcards:
        out.extend(
            Problem(
                "flashcards",
                1,
                f"flashcard {fc.id}: source {s.url} has a check date in the future ({s.checked})",
            )
            for s in fc.sources
            if s.checked > today
        )
    for x in bank.study_links:
        if x.checked is not None and x.checked > today:
            out.append(
                Problem("study-links", 1, f"study link {x.url}: check date in the future ({x.checked})")
            )
    dup_cards = [k for k, n in Counter(f.id for f in bank.flashcards).items() if n > 1]
    out.extend(Problem("flashcards", 1, f"duplicate flashcard id {k!r}") for k in dup_cards)
    if current is not None:
        linked = {x.objective for x in bank.study_links}
        for x in bank.study_links:
            if current.objective(x.objective) is None:
                out.append(
                    Problem("study-links", 1, f"study link {x.url}: unknown objective {x.objective!r}")
                )
        for obj in current.objectives:
            if bank.items and obj.id not in linked:
                out.append(Problem("study-links", 1, f"objective {obj.id!r} ({obj.code}) has no study link"))
    return out


def retirement_flags(item: Item, catalog: Catalog, today: date) -> list[str]:
    """A flag for a live item tied to a retiring topic: before the day (it will leave exams) and from it (it has)."""
    if item.meta.status == "retired" or item.meta.retires_on is None:
        return []
    when = {r.id: r for r in catalog.retirements}
    first = min((when[t] for t in item.meta.retires_with if t in when), key=lambda r: r.on, default=None)
    if first is None:
        return []
    if today < first.on:
        return [
            f"{item.meta.id}: retires with {first.id!r} ({first.title}) on {first.on}: it leaves exams that day; "
            "rewrite it or set status: retired before then"
        ]
    return [
        f"{item.meta.id}: retired with {first.id!r} ({first.title}) on {first.on}: it is out of exams; "
        "rewrite it or set status: retired"
    ]


def _objective_rule(
    item: Item, outlines: list[Outline], current: Outline | None, at: tuple[str, int]
) -> list[Problem]:
    if current is None or current.objective(item.meta.objective) is not None:
        return []
    older = [o for o in outlines if o.objective(item.meta.objective) is not None]
    if older:
        return [
            Problem(
                *at,
                f"objective {item.meta.objective!r} was in the {older[-1].version} outline but is not "
                f"in the current {current.version} outline: rewrite or retire the item",
                "warning",
            )
        ]
    return [Problem(*at, f"unknown objective {item.meta.objective!r}")]


def key_problems(item: Item) -> list[str]:
    """Answer-key sanity for one item."""
    out: list[str] = []
    match item:
        case SingleChoice() | MultipleResponse() | BuildList():
            ids = [o.id for o in item.options]
            if len(set(ids)) != len(ids):
                out.append("options: duplicate option ids")
            keys = [item.key] if isinstance(item, SingleChoice) else list(item.key)
            out.extend(f"key: {k!r} is not an option id" for k in keys if k not in ids)
            if isinstance(item, MultipleResponse) and len(item.key) != item.choose:
                out.append(f"key: 'choose {item.choose}' needs {item.choose} keys, got {len(item.key)}")
            if isinstance(item, BuildList) and len(set(item.key)) != len(item.key):
                out.append("key: an order must list each chosen option once")
        case DragDrop():
            targets, values = {t.id for t in item.targets}, {v.id for v in item.values}
            mapped = dict(item.key)
            out.extend(f"key: target {t!r} has no value" for t in sorted(targets - set(mapped)))
            out.extend(f"key: {t!r} is not a target id" for t in mapped if t not in targets)
            out.extend(f"key: {v!r} is not a value id" for v in mapped.values() if v not in values)
            if not item.reuse and len(set(mapped.values())) != len(mapped):
                out.append("key: a value is used twice but reuse is false")
        case HotArea():
            in_prompt = BLANK.findall(item.prompt)
            defined = [b.id for b in item.blanks]
            if sorted(in_prompt) != sorted(defined):
                out.append(
                    f"blanks: the prompt has {sorted(in_prompt)} but the item defines {sorted(defined)}"
                )
            for b in item.blanks:
                if b.key not in {o.id for o in b.options}:
                    out.append(f"blanks.{b.id}.key: {b.key!r} is not an option id")
        case YesNoStatement():
            pass
    return out


def filled_prompt(item: Item) -> str:
    """A hot-area prompt with each blank replaced by its key's text (what the checker validates)."""
    if not isinstance(item, HotArea):
        return item.prompt
    text = item.prompt
    for b in item.blanks:
        key = next((o.text for o in b.options if o.id == b.key), "")
        text = text.replace(f"[[blank:{b.id}]]", key)
    return text


def _markdown_rules(item: Item, loaded: LoadedBank) -> list[Problem]:
    src = loaded.sources[item.meta.id]
    in_body = item.meta.container is None or isinstance(item, YesNoStatement)
    file, body_line = loaded.prompts[item.meta.id]
    base = body_line if in_body else src.line
    out: list[Problem] = []
    text = filled_prompt(item)
    for snippet in fences(text):
        for offset, message, severity in snippet_problems(snippet):
            line = base + (snippet.line + offset if in_body else 0)
            out.append(Problem(file, line, f"{item.meta.id}: {message}", severity))
    prose = INLINE_CODE.sub("", re.sub(r"```.*?```", "", item.prompt, flags=re.S))
    if HTML_TAG.search(prose):
        out.append(
            Problem(
                file,
                base,
                f"{item.meta.id}: raw HTML is not allowed in Markdown (it is escaped, never rendered)",
            )
        )
    return out


def similarity_text(item: Item) -> str:
    """The words compared for near-duplicates: the stem (or statement) and the option texts."""
    if isinstance(item, YesNoStatement):
        return item.statement
    parts = [item.prompt]
    match item:
        case SingleChoice() | MultipleResponse() | BuildList():
            parts += [o.text for o in item.options]
        case DragDrop():
            parts += [o.text for o in (*item.values, *item.targets)]
        case HotArea():
            parts += [o.text for b in item.blanks for o in b.options]
    return " ".join(parts)


def near_duplicate_pairs(
    items: tuple[Item, ...], threshold: float = NEAR_DUPLICATE
) -> list[tuple[Item, Item, float]]:
    """Pairs of items (not in the same container, not retired) whose similarity reaches the threshold; indexed
    with MinHash (`domain.similarity`), so a 10,000-item bank is not compared pair by pair."""
    live = [i for i in items if i.meta.status != "retired"]
    by_id = {i.meta.id: i for i in live}
    entries = [Entry(i.meta.id, similarity_text(i), i.meta.container) for i in live]
    return [(by_id[p.first], by_id[p.second], p.score) for p in near_duplicates(entries, threshold)]


def cue_problems(loaded: LoadedBank, *, strict: bool) -> list[Problem]:
    """Answer cues: a warning per item cue; each broken pack-level limit an error when strict, else a warning."""
    out = []
    for item in loaded.bank.items:
        if item.meta.status == "retired":
            continue
        src = loaded.sources[item.meta.id]
        for cue in item_cues(item):
            out.append(Problem(src.file, src.line, f"{item.meta.id}: answer cue: {cue.message}", "warning"))
    severity = "error" if strict else "warning"
    figures = cue_figures(loaded.bank.items)
    out.extend(Problem("items", 1, f"answer cues: {m}", severity) for m in limits_problems(figures))
    return out


def _near_duplicates(loaded: LoadedBank) -> list[Problem]:
    out = []
    for a, b, score in near_duplicate_pairs(loaded.bank.items):
        src = loaded.sources[b.meta.id]
        out.append(
            Problem(
                src.file,
                src.line,
                f"{b.meta.id} is a near-duplicate of {a.meta.id} (similarity {score:.2f})",
                "warning",
            )
        )
    return out

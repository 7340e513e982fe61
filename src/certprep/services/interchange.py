"""Import and export of items in open formats (QTI 3.0/2.1, Moodle XML, GIFT, CSV): `plan_import` (the dry run),
`import_items` (all or nothing) and `export_pack`.

An import reads the file, turns it into item files for the target pack and runs the checker's per-item rules on
them before anything is written: the pack format's schema (the same models the pack loader uses), ids in the
pack's namespace and unique (against the pack and within the file), objectives of the pack's current outline,
answer-key sanity, source dates, snippets that must parse, no raw HTML; answer cues and near-duplicates (of the
pack's items and of each other) are warnings. Any problem and nothing is written. Otherwise the files are
written into a temporary folder inside the pack and moved into `items/imported/<name>/`; if a move fails, the
moves already made are undone. The built-in pack is read-only.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from certprep.domain.cues import item_cues
from certprep.domain.items import Item, Source
from certprep.domain.similarity import Entry, near_duplicates
from certprep.errors import InvalidInput, NotFound, PackInvalid, PolicyViolation
from certprep.interchange.csv_items import read_csv, write_csv
from certprep.interchange.gift import read_gift, write_gift
from certprep.interchange.itemfile import dump_file, unit_front
from certprep.interchange.moodle import read_moodle, write_moodle
from certprep.interchange.qti import read_qti, write_qti3
from certprep.interchange.report import ImportDefaults, Parsed, Unit, Written, unit_id, unit_items, units_of
from certprep.packs.catalog import load_catalog
from certprep.packs.check import HTML_TAG, INLINE_CODE, filled_prompt, key_problems, similarity_text
from certprep.packs.items import FILE_ADAPTER, REQUIRED_TOP, TYPE_TAGS, load_bank
from certprep.packs.retirements import retirement_dates
from certprep.packs.snippets import fences, snippet_problems
from certprep.services.content import is_builtin_pack

FORMATS = ("qti3", "qti21", "moodle", "gift", "csv")
EXPORT_FORMATS = ("qti3", "moodle", "gift", "csv")
SUFFIX = {"qti3": ".zip", "moodle": ".xml", "gift": ".gift", "csv": ".csv"}
MEDIA = {
    "qti3": "application/zip",
    "moodle": "application/xml",
    "gift": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One scored item of an import: where it will be written, what is wrong with it, what was lost."""

    item: str
    type: str
    objective: str
    file: str
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    format: str
    file: str
    pack: str
    folder: str
    dry_run: bool
    written: bool
    items: tuple[ImportRow, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise InvalidInput(f"unknown format {fmt!r}; choose one of: {', '.join(allowed)}", field="format")
    return fmt


def _target(into: Path, *, writing: bool) -> Path:
    if not (into / "pack.yaml").is_file():
        raise NotFound(f"{into} is not a content pack (no pack.yaml)", field="into")
    if writing and is_builtin_pack(into):
        raise PolicyViolation(
            f"{into} is the built-in pack, which is read-only: import into a pack folder of your own (--into PACK)",
            field="into",
        )
    return into


def parse_file(data: bytes, fmt: str, defaults: ImportDefaults, file: str) -> Parsed:
    """The units a file holds in a format (no checks against a pack)."""
    match check_format(fmt):
        case "qti3":
            return read_qti(data, defaults, file, version="3")
        case "qti21":
            return read_qti(data, defaults, file, version="2.1")
        case "moodle":
            return read_moodle(data, defaults, file)
        case "gift":
            return read_gift(data, defaults, file)
    return read_csv(data, defaults, file)


def plan_import(
    data: bytes,
    *,
    fmt: str,
    into: Path,
    file: str,
    today: date,
    objective: str | None = None,
    source: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
) -> tuple[ImportReport, list[tuple[str, str]]]:
    """The dry run: the report, and the files an import would write (path under the import folder, text)."""
    root = _target(into, writing=False)
    catalog, cat_problems = load_catalog(root)
    if catalog is None:
        raise PackInvalid(f"{root}: the pack's catalog does not load", [str(p) for p in cat_problems])
    exam = next((c.exam.code for c in catalog.certifications if catalog.outline_versions(c.exam.code)), None)
    if exam is None:
        raise InvalidInput(f"{root}: the pack has no outline to import items against", field="into")
    outline = catalog.outline(exam)
    objectives = frozenset(o.id for o in outline.objectives)
    if objective is not None and objective not in objectives:
        raise InvalidInput(f"objective {objective!r} is not in the pack's current outline", field="objective")
    sources = (Source(source, today),) if source else ()
    if source and not re.match(r"^https://(learn\.microsoft\.com|docs\.github\.com)/\S+$", source):
        raise InvalidInput(
            "source: give a https://learn.microsoft.com/ or https://docs.github.com/ page", field="source"
        )
    defaults = ImportDefaults(
        pack=catalog.pack_id,
        outline=outline.version,
        objective=objective,
        objectives=objectives,
        author=author or "imported",
        sources=sources,
    )
    parsed = parse_file(data, fmt, defaults, file)
    existing = load_bank(root).bank
    folder = f"items/imported/{_folder_name(file)}"
    known = retirement_dates(root)
    rows, files, problems = _check_units(parsed, existing.items, objectives, today, folder, progress, known)
    report = ImportReport(
        format=fmt,
        file=file,
        pack=str(root),
        folder=folder,
        dry_run=True,
        written=False,
        items=tuple(rows),
        problems=(*parsed.problems, *problems),
        warnings=tuple(str(w) for w in parsed.warnings),
    )
    return report, files


def import_items(
    data: bytes,
    *,
    fmt: str,
    into: Path,
    file: str,
    today: date,
    dry_run: bool = False,
    objective: str | None = None,
    source: str | None = None,
    author: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file into a pack, all or nothing; any problem is an InvalidInput listing every problem."""
    _target(into, writing=not dry_run)
    report, files = plan_import(
        data,
        fmt=fmt,
        into=into,
        file=file,
        today=today,
        objective=objective,
        source=source,
        author=author,
        progress=progress,
    )
    if report.problems:
        raise InvalidInput(
            f"{file}: {len(report.problems)} problems; nothing was imported",
            problems=list(report.problems),
            warnings=list(report.warnings),
        )
    if dry_run or not files:
        return report
    _write_all(Path(report.pack), report.folder, files)
    return ImportReport(**{**_fields(report), "dry_run": False, "written": True})


def _fields(report: ImportReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in report.__dataclass_fields__}


def _folder_name(file: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(file).stem.lower()).strip("-")
    return stem or "import"


def _check_units(
    parsed: Parsed,
    existing: tuple[Item, ...],
    objectives: frozenset[str],
    today: date,
    folder: str,
    progress: Progress | None,
    known: Mapping[str, date],
) -> tuple[list[ImportRow], list[tuple[str, str]], list[str]]:
    rows: list[ImportRow] = []
    files: list[tuple[str, str]] = []
    problems: list[str] = []
    taken = {i.meta.id for i in existing}
    paths: set[str] = set()
    by_item: dict[str, list[str]] = {}
    for w in parsed.warnings:
        by_item.setdefault(w.item, []).append(w.what)
    new_items = [i for u in parsed.units for i in unit_items(u)]
    dup = near_duplicates(
        [
            Entry(i.meta.id, similarity_text(i), i.meta.container)
            for i in (*existing, *new_items)
            if i.meta.status != "retired"
        ],
        new_from=sum(1 for i in existing if i.meta.status != "retired"),
    )
    for p in dup:
        by_item.setdefault(p.second, []).append(f"near-duplicate of {p.first} (similarity {p.score:.2f})")
    total = len(parsed.units)
    for n, unit in enumerate(parsed.units, start=1):
        rel, front, body = unit_front(unit)
        dropped = _unknown_retirements(front, known)
        if dropped:  # said on the unit's first item, whose row leads the unit's rows
            by_item.setdefault(unit_items(unit)[0].meta.id, []).extend(dropped)
        path = f"{folder}/{rel}"
        if path in paths:
            problems.append(f"{unit_id(unit)}: another item of the file is written to {path}")
        paths.add(path)
        unit_problems = _schema(front, body)
        if unit_id(unit) in taken:
            unit_problems.append(f"id {unit_id(unit)!r} is already in the pack")
        taken.add(unit_id(unit))
        for item in unit_items(unit):
            item_problems = [*unit_problems, *_item_rules(item, objectives, today)]
            if item.meta.id != unit_id(unit) and item.meta.id in taken:
                item_problems.append(f"id {item.meta.id!r} is already in the pack")
            taken.add(item.meta.id)
            warnings = [
                *by_item.get(item.meta.id, []),
                *(f"answer cue: {c.message}" for c in item_cues(item)),
            ]
            rows.append(
                ImportRow(
                    item.meta.id, item.type, item.meta.objective, path, tuple(item_problems), tuple(warnings)
                )
            )
            problems.extend(f"item {item.meta.id}: {p}" for p in item_problems)
            unit_problems = []
        files.append((rel, dump_file(front, body)))
        if progress is not None:
            progress(n, total)
    return rows, files, problems


def _unknown_retirements(front: dict[str, Any], known: Mapping[str, date]) -> list[str]:
    """Drop from a would-be item file the `retires_with` names the target pack has no retirement for (the file
    would not load); say what was dropped."""
    notes = []
    for part in (front, *front.get("items", ()), *front.get("statements", ())):
        names = part.get("retires_with") or []
        for name in names:
            if name not in known:
                notes.append(
                    f"retires_with {name!r} dropped: the pack has no such retirement (add it to its "
                    "retirements.yaml and to the item to keep the item's retirement date)"
                )
        kept = [n for n in names if n in known]
        if kept:
            part["retires_with"] = kept
        else:
            part.pop("retires_with", None)
    return notes


def _schema(front: dict[str, Any], body: str) -> list[str]:
    """The pack loader's schema over a would-be item file."""
    out = [f"{k}: field required" for k in REQUIRED_TOP if front.get(k) is None]
    kind = front.get("type")
    data = {**front, **({"prompt": body} if kind not in ("case-study", "yes-no-series") else {})}
    try:
        FILE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"] if p not in TYPE_TAGS)
            out.append(f"{loc}: {e['msg']}" if loc else e["msg"])
    return out


def _item_rules(item: Item, objectives: frozenset[str], today: date) -> list[str]:
    out = list(key_problems(item))
    if item.meta.objective not in objectives:
        out.append(f"unknown objective {item.meta.objective!r} (not in the pack's current outline)")
    out.extend(
        f"source {s.url} has a check date in the future ({s.checked})"
        for s in item.meta.sources
        if s.checked > today
    )
    for snippet in fences(filled_prompt(item)):
        out.extend(message for _, message, severity in snippet_problems(snippet) if severity == "error")
    prose = INLINE_CODE.sub("", re.sub(r"```.*?```", "", item.prompt, flags=re.S))
    if HTML_TAG.search(prose):
        out.append("raw HTML is not allowed in Markdown (it is escaped, never rendered)")
    return out


def _write_all(root: Path, folder: str, files: list[tuple[str, str]]) -> None:
    """Write into a temporary folder inside the pack, then move each file into place; undo on any failure."""
    final = root / folder
    clashes = [rel for rel, _ in files if (final / rel).exists()]
    if clashes:
        raise PolicyViolation(f"{final}: files already exist: {', '.join(clashes[:5])}; nothing was imported")
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    moved: list[Path] = []
    created: list[Path] = []
    known: set[Path] = set()
    try:
        for directory in sorted({(staging / rel).parent for rel, _ in files}):
            directory.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=8) as pool:  # opening a file is the slow part on some disks
            list(pool.map(lambda f: (staging / f[0]).write_text(f[1], encoding="utf-8"), files))
        for rel, _ in files:
            dest = final / rel
            for parent in reversed(dest.parents):
                if parent in known or root not in parent.parents:
                    continue
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
                known.add(parent)
            os.replace(staging / rel, dest)
            moved.append(dest)
    except BaseException:
        for dest in moved:
            dest.unlink(missing_ok=True)
        for parent in reversed(created):
            if parent.exists() and not any(parent.iterdir()):
                parent.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_pack(root: Path, *, fmt: str) -> Written:
    """A pack's items in an export format (QTI 2.1 is read only)."""
    check_format(fmt, EXPORT_FORMATS)
    if not (root / "pack.yaml").is_file():
        raise NotFound(f"{root} is not a content pack (no pack.yaml)", field="pack")
    loaded = load_bank(root)
    errors = [str(p) for p in loaded.problems if p.severity == "error"]
    if errors:
        raise PackInvalid(f"{root}: the pack's items do not load", errors)
    units: tuple[Unit, ...] = units_of(loaded.bank)
    match fmt:
        case "qti3":
            return write_qti3(units)
        case "moodle":
            return write_moodle(units)
        case "gift":
            return write_gift(units)
    return write_csv(units)

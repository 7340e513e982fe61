"""CSV for single and multiple choice, for people who author in spreadsheets: one item per row, read and write.

Columns (a header row names them; order is free; `prompt`, `key` and `option_a`, `option_b`... are required):
`id, type (single | multiple, default: single with one key, multiple with several), objective, difficulty,
outline, author, status, source, checked, tags (separated by spaces), prompt, key (a | a;c), explanation,
option_a, explanation_a, ..., option_h, explanation_h`. A cell may hold line breaks (quoted, as spreadsheets
write them). Other item types are not written (a warning each); unknown columns are a warning.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from certprep.domain.cells import cell_text, safe_cell
from certprep.domain.items import MultipleResponse, Option, SingleChoice
from certprep.interchange.drafts import Draft, build_units
from certprep.interchange.report import (
    MAX_ITEMS,
    ImportDefaults,
    Lost,
    Parsed,
    Unit,
    Written,
    import_text,
    unit_items,
)

LETTERS = "abcdefgh"
META = ["id", "type", "objective", "difficulty", "outline", "author", "status", "source", "checked", "tags"]
COLUMNS = [
    *META,
    "prompt",
    "key",
    "explanation",
    *[c for x in LETTERS for c in (f"option_{x}", f"explanation_{x}")],
]
_OPTION = re.compile(r"^(option|explanation)_([a-h])$")


def read_csv(data: bytes, defaults: ImportDefaults, file: str = "import.csv") -> Parsed:
    """A CSV file -> units, warnings and problems (file:line of the row)."""
    text, problem = import_text(data, file)
    if problem is not None:
        return Parsed((), (), (problem,))
    assert text is not None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("prompt", "key", "option_a", "option_b") if c not in header]
    if missing:
        return Parsed(
            (), (), (f"{file}:1: missing columns: {', '.join(missing)} (the first row names the columns)",)
        )
    warnings = [Lost(f"{file}:1", f"unknown column {c!r} ignored") for c in header if c not in COLUMNS]
    drafts: list[Draft] = []
    problems: list[str] = []
    start = 2
    try:
        for row in reader:
            if len(drafts) >= MAX_ITEMS:
                problems.append(f"{file}: more than {MAX_ITEMS} rows (the import limit)")
                break
            where = f"{file}:{start}"
            start = reader.line_num + 1
            if not any((v or "").strip() for k, v in row.items() if isinstance(v, str)):
                continue
            draft = _row(row, where, problems)
            if draft is not None:
                drafts.append(draft)
    except csv.Error as exc:
        problems.append(f"{file}:{reader.line_num}: {exc}")
    parsed = build_units(drafts, defaults)
    return Parsed(parsed.units, (*warnings, *parsed.warnings), (*problems, *parsed.problems))


def _cell(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return cell_text(value).strip() if isinstance(value, str) else ""


def _row(row: dict[str, Any], where: str, problems: list[str]) -> Draft | None:
    options = [
        Option(x, _cell(row, f"option_{x}"), _cell(row, f"explanation_{x}"))
        for x in LETTERS
        if _cell(row, f"option_{x}")
    ]
    ids = {o.id for o in options}
    keys = [k.strip().lower() for k in re.split(r"[;,\s]+", _cell(row, "key")) if k.strip()]
    bad = [k for k in keys if k not in ids]
    if not keys or bad:
        problems.append(
            f"{where}: key: {_cell(row, 'key')!r} must name options that have text ({', '.join(sorted(ids))})"
        )
        return None
    kind = _cell(row, "type").lower() or ("single" if len(keys) == 1 else "multiple")
    if kind not in ("single", "multiple"):
        problems.append(f"{where}: type: {kind!r}: CSV holds single or multiple choice only")
        return None
    if kind == "single" and len(keys) != 1:
        problems.append(f"{where}: key: a single-choice item has one key, got {len(keys)}")
        return None
    meta: dict[str, Any] = {}
    for name in ("objective", "author", "status"):
        if _cell(row, name):
            meta[name] = _cell(row, name)
    if meta.get("status") not in (None, "draft", "reviewed", "retired"):
        problems.append(f"{where}: status: {meta['status']!r} is not draft, reviewed or retired")
        return None
    for name, check in (("difficulty", _difficulty), ("outline", _day)):
        if _cell(row, name):
            value = check(_cell(row, name))
            if value is None:
                problems.append(f"{where}: {name}: {_cell(row, name)!r} is not valid")
                return None
            meta[name] = value
    if _cell(row, "source"):
        checked = _day(_cell(row, "checked")) if _cell(row, "checked") else None
        if checked is None:
            problems.append(f"{where}: checked: a source needs the date it was checked (YYYY-MM-DD)")
            return None
        meta["sources"] = [{"url": u, "checked": checked} for u in _cell(row, "source").split()]
    if _cell(row, "tags"):
        meta["tags"] = _cell(row, "tags").split()
    return Draft(
        where,
        "single" if kind == "single" else "multiple",
        row.get("prompt") or "",
        ident=_cell(row, "id") or None,
        options=options,
        key=keys,
        choose=len(keys),
        explanation=_cell(row, "explanation"),
        meta=meta,
    )


def _difficulty(text: str) -> int | None:
    return int(text) if text.isdigit() and 1 <= int(text) <= 5 else None


def _day(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def write_csv(units: tuple[Unit, ...]) -> Written:
    """Single and multiple choice items -> CSV (UTF-8 with a BOM, so spreadsheets read the accents)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    warnings: list[Lost] = []
    count = 0
    for unit in units:
        for item in unit_items(unit):
            if not isinstance(item, SingleChoice | MultipleResponse):
                warnings.append(
                    Lost(item.meta.id, f"not exported: CSV holds single and multiple choice, not {item.type}")
                )
                continue
            if len(item.options) > len(LETTERS):
                warnings.append(Lost(item.meta.id, f"not exported: CSV holds at most {len(LETTERS)} options"))
                continue
            row = _row_out(item, warnings)
            writer.writerow({k: safe_cell(v) for k, v in row.items()})  # no cell runs as a formula
            count += 1
    return Written(out.getvalue().encode("utf-8-sig"), tuple(warnings), count)


def _row_out(item: SingleChoice | MultipleResponse, warnings: list[Lost]) -> dict[str, str]:
    m = item.meta
    letter = {o.id: LETTERS[n] for n, o in enumerate(item.options)}
    keys = [item.key] if isinstance(item, SingleChoice) else sorted(item.key, key=lambda k: letter.get(k, k))
    row = {
        "id": m.id,
        "type": item.type,
        "objective": m.objective,
        "difficulty": str(m.difficulty),
        "outline": m.outline.isoformat(),
        "author": m.author,
        "status": m.status,
        "source": " ".join(s.url for s in m.sources),
        "checked": m.sources[0].checked.isoformat() if m.sources else "",
        "tags": " ".join(m.tags),
        "prompt": item.prompt,
        "key": ";".join(letter[k] for k in keys if k in letter),
        "explanation": m.explanation,
    }
    for o in item.options:
        row[f"option_{letter[o.id]}"] = o.text
        row[f"explanation_{letter[o.id]}"] = o.explanation
    lost = []
    if [o.id for o in item.options] != list(LETTERS[: len(item.options)]):
        lost.append("option ids (re-lettered a, b, c...)")
    if len({s.checked for s in m.sources}) > 1:
        lost.append("each source's own check date (one date for all)")
    for name, value in (
        ("reviewer", m.reviewer),
        ("angoff", m.angoff),
        ("irt", m.irt),
        ("review note", m.review_note),
    ):
        if value:
            lost.append(name)
    if m.scoring != "per-component" or m.pilot:
        lost.append("scoring and pilot flags")
    if lost:
        warnings.append(Lost(m.id, "CSV does not hold: " + ", ".join(lost)))
    return row

"""Units -> pack item files (Markdown with YAML front matter, docs/pack-format.md), and item metadata as a plain
mapping (what QTI carries in its certprep extension and what `build_units` reads back).

The packs loader reads these files back; the import service does exactly that before anything is written, so a
file this module gets wrong is a reported problem, never a broken pack.
"""

from __future__ import annotations

import json
import re
from typing import Any

from certprep.domain.items import (
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    YesNoSeries,
    YesNoStatement,
)
from certprep.interchange.report import Unit, slug


def meta_plain(meta: ItemMeta) -> dict[str, Any]:
    """An item's metadata as JSON-ready values (explanation and container excluded: they live elsewhere)."""
    out: dict[str, Any] = {
        "objective": meta.objective,
        "outline": meta.outline.isoformat(),
        "difficulty": meta.difficulty,
        "author": meta.author,
        "reviewer": meta.reviewer,
        "status": meta.status,
        "sources": [{"url": s.url, "checked": s.checked.isoformat()} for s in meta.sources],
    }
    if meta.angoff is not None:
        out["angoff"] = meta.angoff
    if meta.tags:
        out["tags"] = list(meta.tags)
    if meta.irt is not None:
        out["irt"] = {"a": meta.irt.a, "b": meta.irt.b, "c": meta.irt.c, "provenance": meta.irt.provenance}
    if meta.review_note:
        out["review_note"] = meta.review_note
    if meta.retires_with:  # their dates are the pack's (retirements.yaml), not the item's
        out["retires_with"] = list(meta.retires_with)
    if meta.scoring != "per-component":
        out["scoring"] = meta.scoring
    if meta.pilot:
        out["pilot"] = True
    return out


CASE_LEVEL = ("author", "reviewer", "status", "review_note")


def _front(meta: ItemMeta, item_id: str, kind: str, *, case: ItemMeta | None = None) -> dict[str, Any]:
    top = case is None
    plain = meta_plain(meta)
    out: dict[str, Any] = {"id": item_id, "type": kind, "objective": plain.pop("objective")}
    if top:
        out["outline"] = plain.pop("outline")
    else:
        plain.pop("outline")
    out["difficulty"] = plain.pop("difficulty")
    if case is not None:
        for k in CASE_LEVEL:
            if getattr(meta, k) == getattr(case, k):
                plain.pop(k, None)
    out.update(plain)
    return out


def _options(options: tuple[Option, ...], *, values: bool = False) -> list[dict[str, str]]:
    out = []
    for o in options:
        row = {"id": o.id, "text": o.text}
        if o.explanation or not values:
            row["explanation"] = o.explanation
        out.append(row)
    return out


def item_fields(item: Item) -> dict[str, Any]:
    """The type-specific fields of an item (options, key...) as the pack format writes them."""
    match item:
        case SingleChoice():
            return {"options": _options(item.options), "key": item.key}
        case MultipleResponse():
            return {"options": _options(item.options), "choose": item.choose, "key": sorted(item.key)}
        case BuildList():
            return {"options": _options(item.options), "key": list(item.key)}
        case DragDrop():
            return {
                "values": _options(item.values, values=True),
                "targets": _options(item.targets),
                "key": dict(item.key),
                "reuse": item.reuse,
            }
        case HotArea():
            return {
                "blanks": [{"id": b.id, "options": _options(b.options), "key": b.key} for b in item.blanks]
            }
    raise AssertionError(item)  # pragma: no cover


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@()+-]*")
_RESERVED = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})
_UNPRINTABLE = re.compile("[\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufffe\\uffff]")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Block-style YAML for the mappings, lists and scalars of item files (PyYAML's representer is the slowest
    part of a 10,000-item import; `tests/interchange/test_itemfile.py` reads every built-in item back)."""
    for name, v in value.items():
        key = _scalar(name)
        if isinstance(v, dict) and v:
            out.append(f"{indent}{key}:\n")
            _emit(v, indent + "  ", out)
        elif isinstance(v, list) and v:
            out.append(f"{indent}{key}:\n")
            for entry in v:
                if isinstance(entry, dict) and entry:
                    first = [f"{indent}  - "]
                    sub: list[str] = []
                    _emit(entry, indent + "    ", sub)
                    first.append(sub[0][len(indent) + 4 :])
                    out.extend(["".join(first), *sub[1:]])
                else:
                    out.append(f"{indent}  - {_scalar(entry)}\n")
        elif isinstance(v, dict | list):
            out.append(f"{indent}{key}: {'{}' if isinstance(v, dict) else '[]'}\n")
        else:
            out.append(f"{indent}{key}: {_scalar(v)}\n")


def dump_file(front: dict[str, Any], body: str) -> str:
    """Front matter and body -> the text of an item file."""
    out: list[str] = []
    _emit(front, "", out)
    return f"---\n{''.join(out)}---\n{body}"


def unit_file(unit: Unit) -> tuple[str, str]:
    """(path under the import folder, file text) of one unit."""
    rel, front, body = unit_front(unit)
    return rel, dump_file(front, body)


def unit_front(unit: Unit) -> tuple[str, dict[str, Any], str]:
    """(path under the import folder, front matter, body) of one unit."""
    if isinstance(unit, CaseStudy):
        first = unit.items[0].meta if unit.items else None
        front: dict[str, Any] = {"id": unit.id, "type": "case-study", "title": unit.title}
        if first is not None:
            front.update(
                outline=first.outline.isoformat(),
                author=first.author,
                reviewer=first.reviewer,
                status=first.status,
            )
            if first.review_note:
                front["review_note"] = first.review_note
        front["tabs"] = [{"title": t, "body": b} for t, b in unit.tabs]
        subs = []
        for item in unit.items:
            local = item.meta.id.rsplit("/", 1)[-1]
            sub = _front(item.meta, local, item.type, case=first)
            sub["prompt"] = item.prompt
            sub.update(item_fields(item))
            if item.meta.explanation:
                sub["explanation"] = item.meta.explanation
            subs.append(sub)
        front["items"] = subs
        return f"case-studies/{slug(unit.id.rsplit('/', 1)[-1])}.md", front, ""
    if isinstance(unit, YesNoSeries):
        first_meta = unit.statements[0].meta
        front = _front(first_meta, unit.id, "yes-no-series")
        front.pop("angoff", None)
        front["statements"] = [_statement(s, first_meta) for s in unit.statements]
        return f"{first_meta.objective}/{slug(unit.id.rsplit('/', 1)[-1])}.md", front, unit.prompt
    front = _front(unit.meta, unit.meta.id, unit.type)
    front.update(item_fields(unit))
    if unit.meta.explanation:
        front["explanation"] = unit.meta.explanation
    return f"{unit.meta.objective}/{slug(unit.meta.id.rsplit('/', 1)[-1])}.md", front, unit.prompt


def _statement(s: YesNoStatement, first: ItemMeta) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": s.meta.id.rsplit("/", 1)[-1],
        "text": s.statement,
        "key": "yes" if s.key else "no",
        "explanation": s.meta.explanation,
    }
    if s.meta.difficulty != first.difficulty:
        row["difficulty"] = s.meta.difficulty
    if s.meta.objective != first.objective:
        row["objective"] = s.meta.objective
    if s.meta.sources != first.sources:
        row["sources"] = [{"url": x.url, "checked": x.checked.isoformat()} for x in s.meta.sources]
    if s.meta.angoff is not None:
        row["angoff"] = s.meta.angoff
    return row

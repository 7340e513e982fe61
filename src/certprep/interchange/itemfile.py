"""Units -> pack item files (Markdown with YAML front matter, docs/pack-format.md), and item metadata as a plain
mapping (what QTI carries in its certprep extension and what `build_units` reads back).

The packs loader reads these files back; the import service does exactly that before anything is written, so a
file this module gets wrong is a reported problem, never a broken pack.
"""

from __future__ import annotations

from typing import Any

import yaml

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


def dump_file(front: dict[str, Any], body: str) -> str:
    """Front matter and body -> the text of an item file."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{text}---\n{body}"


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

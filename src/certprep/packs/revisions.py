"""Item revisions: the canonical scored content of an item, its content hash, and the stored JSON form."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from certprep.domain.items import (
    Blank,
    BuildList,
    DragDrop,
    HotArea,
    IrtParams,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    YesNoStatement,
)
from certprep.domain.plain import to_plain


def scored_content(item: Item) -> dict[str, Any]:
    """What a learner is scored on: type, prompt, options and keys. Explanations and metadata are not part of it."""
    content: dict[str, Any] = {
        "id": item.meta.id,
        "type": item.type,
        "prompt": item.prompt.strip(),
        "scoring": item.meta.scoring,
    }
    match item:
        case SingleChoice():
            content |= {"options": [(o.id, o.text) for o in item.options], "key": item.key}
        case MultipleResponse():
            content |= {
                "options": [(o.id, o.text) for o in item.options],
                "key": sorted(item.key),
                "choose": item.choose,
            }
        case BuildList():
            content |= {"options": [(o.id, o.text) for o in item.options], "key": list(item.key)}
        case DragDrop():
            content |= {
                "values": [(v.id, v.text) for v in item.values],
                "targets": [(t.id, t.text) for t in item.targets],
                "key": sorted(item.key),
                "reuse": item.reuse,
            }
        case HotArea():
            content |= {"blanks": [(b.id, [(o.id, o.text) for o in b.options], b.key) for b in item.blanks]}
        case YesNoStatement():
            content |= {"statement": item.statement, "key": item.key}
    return content


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


_REVISION_OF: dict[int, tuple[Item, str]] = {}


def revision_of(item: Item) -> str:
    """The item's revision: SHA-256 of its canonical scored content (first 16 hex digits).

    Remembered per item object (items are frozen): every exam start asks for the revisions of its 50 items."""
    hit = _REVISION_OF.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    revision = hashlib.sha256(canonical(scored_content(item)).encode()).hexdigest()[:16]
    if len(_REVISION_OF) > 20_000:
        _REVISION_OF.clear()
    _REVISION_OF[id(item)] = (item, revision)
    return revision


def item_to_json(item: Item) -> str:
    """An item revision as stored: the whole domain value, canonical JSON."""
    data = to_plain(item)
    if isinstance(item, MultipleResponse):
        data["key"] = sorted(item.key)
    return canonical(data)


def item_from_json(text: str) -> Item:
    """Rebuild a stored item revision (the inverse of item_to_json)."""
    d = json.loads(text)
    m = d["meta"]
    meta = ItemMeta(
        id=m["id"],
        objective=m["objective"],
        outline=date.fromisoformat(m["outline"]),
        difficulty=m["difficulty"],
        author=m["author"],
        reviewer=m["reviewer"],
        status=m["status"],
        sources=tuple(Source(s["url"], date.fromisoformat(s["checked"])) for s in m["sources"]),
        angoff=m["angoff"],
        tags=tuple(m["tags"]),
        irt=IrtParams(**m["irt"]) if m["irt"] else None,
        review_note=m["review_note"],
        explanation=m["explanation"],
        scoring=m["scoring"],
        container=m["container"],
        pilot=m["pilot"],
        retires_with=tuple(m.get("retires_with", ())),
        retires_on=date.fromisoformat(m["retires_on"]) if m.get("retires_on") else None,
    )

    def opts(xs: list[dict[str, str]]) -> tuple[Option, ...]:
        return tuple(Option(x["id"], x["text"], x["explanation"]) for x in xs)

    kind = d["type"]
    if kind == "single":
        return SingleChoice(meta, d["prompt"], opts(d["options"]), d["key"])
    if kind == "multiple":
        return MultipleResponse(meta, d["prompt"], opts(d["options"]), frozenset(d["key"]), d["choose"])
    if kind == "build-list":
        return BuildList(meta, d["prompt"], opts(d["options"]), tuple(d["key"]))
    if kind == "drag-drop":
        return DragDrop(
            meta,
            d["prompt"],
            opts(d["values"]),
            opts(d["targets"]),
            tuple((t, v) for t, v in d["key"]),
            d["reuse"],
        )
    if kind == "hot-area":
        return HotArea(
            meta, d["prompt"], tuple(Blank(b["id"], opts(b["options"]), b["key"]) for b in d["blanks"])
        )
    return YesNoStatement(meta, d["prompt"], d["statement"], d["key"], d["position"])

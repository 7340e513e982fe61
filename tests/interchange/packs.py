"""Helpers for the interchange tests: an empty pack of one's own (the built-in catalog, no items), the built-in
bank's units, import defaults, and a fingerprint of a folder (to prove nothing was written)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from certprep.domain.items import Bank, Source
from certprep.interchange.report import ImportDefaults, Unit, units_of
from certprep.packs.items import load_bank
from certprep.services.content import builtin_pack_path

TODAY = date(2027, 1, 1)
SOURCE = Source("https://learn.microsoft.com/en-us/azure/devops/pipelines/", date(2026, 11, 26))


def empty_pack(tmp: Path, pack_id: str = "mine") -> Path:
    """A pack folder with the built-in catalog, outlines and study links but no items, id `pack_id`."""
    root = tmp / pack_id
    shutil.copytree(builtin_pack_path(), root, ignore=shutil.ignore_patterns("items"))
    text = (root / "pack.yaml").read_text(encoding="utf-8").replace("\nid: az-400", f"\nid: {pack_id}")
    (root / "pack.yaml").write_text(text, encoding="utf-8")
    return root


def builtin_bank() -> Bank:
    return load_bank(builtin_pack_path()).bank


def builtin_units() -> tuple[Unit, ...]:
    return units_of(builtin_bank())


def defaults(pack: str = "az-400", **kw: object) -> ImportDefaults:
    objectives = frozenset(i.meta.objective for i in builtin_bank().items)
    base: dict[str, object] = {
        "pack": pack,
        "outline": date(2026, 7, 27),
        "objectives": objectives,
        "sources": (SOURCE,),
    }
    base.update(kw)
    return ImportDefaults(**base)  # type: ignore[arg-type]


def fingerprint(root: Path) -> str:
    """A hash over every path and file body under root."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()

"""What every reader and writer of an open format returns: units (one pack file each), the per-item warnings saying
what a format could not hold ("item X: <what was lost>"), and the problems (file:line) that stop an import.

A *unit* is what one item file holds: a standalone item, a yes/no series or a case study. `ImportDefaults` fills
what a foreign file does not say (objective, outline, author, source, difficulty, status), and each use of a
default is a warning, so nothing is filled in silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from certprep.domain.items import Bank, CaseStudy, Item, ItemStatus, Source, YesNoSeries

Unit = Item | YesNoSeries | CaseStudy

MAX_BYTES = 50_000_000  # bytes: an import file (or the unpacked content of a zip) larger than this is refused
MAX_ITEMS = 20_000  # questions in one import
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Lost:
    """A warning: what a format could not hold of one item, or what an import had to supply."""

    item: str
    what: str

    def __str__(self) -> str:
        return f"item {self.item}: {self.what}"


@dataclass(frozen=True, slots=True)
class ImportDefaults:
    """Values for what a file does not say; `objectives` are the pack's (a category naming one becomes it)."""

    pack: str
    outline: date
    objective: str | None = None
    objectives: frozenset[str] = frozenset()
    author: str = "imported"
    sources: tuple[Source, ...] = ()
    difficulty: int = 3
    status: ItemStatus = "draft"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The result of reading a file: units to write, warnings, and problems (an import with any problem adds nothing)."""

    units: tuple[Unit, ...]
    warnings: tuple[Lost, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Written:
    """The bytes of an exported file and what the format could not hold of each item."""

    data: bytes
    warnings: tuple[Lost, ...] = field(default_factory=tuple)
    count: int = 0


def units_of(bank: Bank) -> tuple[Unit, ...]:
    """The bank as files: standalone items, then yes/no series, then case studies (pack order)."""
    standalone: list[Unit] = [i for i in bank.items if i.meta.container is None]
    return (*standalone, *bank.series, *bank.case_studies)


def unit_id(unit: Unit) -> str:
    return unit.id if isinstance(unit, YesNoSeries | CaseStudy) else unit.meta.id


def unit_items(unit: Unit) -> tuple[Item, ...]:
    """The scored items of a unit."""
    if isinstance(unit, YesNoSeries):
        return unit.statements
    if isinstance(unit, CaseStudy):
        return unit.items
    return (unit,)


def slug(text: str, limit: int = 48) -> str:
    """A lowercase slug of letters, digits and hyphens ("item" when nothing is left)."""
    out = _SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-")
    return out or "item"


def check_size(data: bytes, what: str) -> str | None:
    """A problem when a file is over the import size limit."""
    if len(data) > MAX_BYTES:
        return f"{what}: {len(data) / 1e6:.1f} MB is over the {MAX_BYTES // 1_000_000} MB import limit"
    return None


def import_text(data: bytes, what: str) -> tuple[str | None, str | None]:
    """A text import file (GIFT, CSV) as text, or the problem: over the size limit, or not UTF-8 (a BOM is dropped)."""
    too_big = check_size(data, what)
    if too_big:
        return None, too_big
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"{what}: not UTF-8 text (byte {exc.start})"

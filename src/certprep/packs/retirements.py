"""Reads a pack's `retirements.yaml` (optional): topics and services that retire on a date, each with its source.

Items attach to them with `retires_with: [id]`; the catalog carries them, the bank loader resolves each item's
earliest retirement date from them, and `domain.items.in_service` decides with the day passed in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from certprep.domain.catalog import Retirement
from certprep.packs.links import WebUrl
from certprep.packs.yamlfile import Problem, YamlError, read_yaml, validation_problems

FILE = "retirements.yaml"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetirementModel(_Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    date: dt.date
    source: Annotated[WebUrl, Field(pattern=r"^https://\S+$")]


class RetirementsFile(_Strict):
    retirements: list[RetirementModel] = []


def read_retirements(root: Path) -> tuple[tuple[Retirement, ...], list[Problem]]:
    """The retirements of a pack (none without the file) and the problems of the file, as file:line."""
    path = root / FILE
    rel = _rel(root, path)
    if not path.exists():
        return (), []
    try:
        located = read_yaml(path)
    except YamlError as exc:
        return (), [Problem(rel, exc.line, exc.message)]
    try:
        model = RetirementsFile.model_validate(located.data or {})
    except ValidationError as exc:
        return (), validation_problems(exc, located, rel)
    problems, seen = [], set()
    for i, r in enumerate(model.retirements):
        if r.id in seen:
            line = located.line_of(("retirements", i, "id"))
            problems.append(Problem(rel, line, f"retirements.{i}.id: duplicate id {r.id!r}"))
        seen.add(r.id)
    return tuple(Retirement(r.id, r.title, r.date, r.source) for r in model.retirements), problems


def retirement_dates(root: Path) -> dict[str, dt.date]:
    """Topic id -> the day it retires (a broken file gives none: `certprep pack check` reports it)."""
    retirements, problems = read_retirements(root)
    return {} if problems else {r.id: r.on for r in retirements}


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)

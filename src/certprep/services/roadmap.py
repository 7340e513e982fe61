"""The roadmap use case: a goal (certification, role or path) plus what the learner holds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from certprep.domain.catalog import Catalog
from certprep.domain.profile import HeldCertification, Holdings, expiry_for
from certprep.domain.roadmap import (
    Goal,
    Roadmap,
    goal_for_certification,
    goal_for_path,
    goal_for_role,
    plan_roadmap,
)
from certprep.errors import InvalidInput
from certprep.services.database import Database
from certprep.services.profile import load_holdings

HAVE = re.compile(r"^\s*(?P<ref>[A-Za-z0-9-]+)\s*(?::\s*(?P<date>.+?))?\s*$")


def resolve_goal(catalog: Catalog, kind: Literal["certification", "role", "path"], ref: str) -> Goal:
    """A goal from a command-line or query value; ids, exam codes and names, any case."""
    if kind == "role":
        return goal_for_role(catalog, ref)
    if kind == "path":
        return goal_for_path(catalog, ref)
    return goal_for_certification(catalog, ref)


def parse_have(catalog: Catalog, values: Sequence[str], *, today: date) -> Holdings:
    """`AZ-104`, `AZ-204:2026-05-01` or a certification id -> holdings (expert exams count as passed exams)."""
    certs: list[HeldCertification] = []
    passed: list[tuple[str, date | None]] = []
    for value in values:
        m = HAVE.match(value)
        if not m:
            raise InvalidInput(
                f"--have {value!r}: expected CODE or CODE:YYYY-MM-DD", field="have", value=value
            )
        cert = catalog.certification(m["ref"])
        earned: date | None = None
        if m["date"]:
            try:
                earned = date.fromisoformat(m["date"])
            except ValueError:
                raise InvalidInput(
                    f"--have {value!r}: {m['date']!r} is not a date in the form YYYY-MM-DD",
                    field="have",
                    value=value,
                ) from None
            if earned > today:
                raise InvalidInput(f"--have {value!r}: the date is in the future", field="have", value=value)
            if cert.retired_on is not None and earned > cert.retired_on:
                raise InvalidInput(
                    f"--have {value!r}: {cert.exam.code} retired on {cert.retired_on}, before that date",
                    field="have",
                    value=value,
                )
        if cert.requires is None:
            certs.append(HeldCertification(cert.id, earned, expiry_for(catalog, cert.id, earned)))
        else:
            passed.append((cert.exam.code, earned))
    return Holdings(tuple(certs), tuple(passed))


def build_roadmap(
    db: Database | None,
    *,
    catalog: Catalog,
    goal: Goal,
    have: Sequence[str] = (),
    learner_id: str | None = None,
    today: date,
    country: str | None = None,
) -> Roadmap:
    """The roadmap for a goal, from --have values and, when a learner is given, their recorded profile."""
    given = parse_have(catalog, have, today=today)
    if db is not None and learner_id is not None:
        stored = load_holdings(db, learner_id=learner_id)
        recorded = {h.certification: h for h in stored.certifications}
        recorded.update({h.certification: h for h in given.certifications})
        given = Holdings(tuple(recorded.values()), stored.passed_exams + given.passed_exams)
    return plan_roadmap(catalog, goal, given, today=today, country=country)

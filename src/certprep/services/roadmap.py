"""The roadmap use case: a goal (certification, role or path) plus what the learner holds."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Literal

from certprep.domain.catalog import Catalog, CertificationId
from certprep.domain.profile import HeldCertification, Holdings, country_code, derive_held, expiry_for
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
            raise InvalidInput(f"{value!r}: expected CODE or CODE:YYYY-MM-DD", field="have", value=value)
        with _on_field("have"):
            cert = catalog.certification(m["ref"])
        earned: date | None = None
        if m["date"]:
            try:
                earned = date.fromisoformat(m["date"])
            except ValueError:
                raise InvalidInput(
                    f"{value!r}: {m['date']!r} is not a date in the form YYYY-MM-DD",
                    field="have",
                    value=value,
                ) from None
            if earned > today:
                raise InvalidInput(f"{value!r}: the date is in the future", field="have", value=value)
            if cert.retired_on is not None and earned > cert.retired_on:
                raise InvalidInput(
                    f"{value!r}: {cert.exam.code} retired on {cert.retired_on}, before that date",
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
    country = country_code(country) if country is not None else None
    given = parse_have(catalog, have, today=today)
    if db is not None and learner_id is not None:
        given = _merge(load_holdings(db, learner_id=learner_id), given)
    return plan_roadmap(catalog, goal, given, today=today, country=country)


@dataclass(frozen=True, slots=True)
class LearnerRoadmap:
    """A roadmap with what it was computed from: `profile` is the stored profile used, None when ignored."""

    roadmap: Roadmap
    held: Mapping[CertificationId, HeldCertification]
    profile: Holdings | None


def roadmap_for_learner(
    db: Database | None,
    *,
    catalog: Catalog,
    kind: Literal["certification", "role", "path"],
    ref: str,
    have: Sequence[str] | None,
    use_profile: bool | None,
    learner_id: str,
    today: date,
    country: str | None = None,
) -> LearnerRoadmap:
    """The roadmap of the learner asking: the stored profile is used unless `have` is given (what-if) or
    `use_profile` is False; `use_profile` True adds the profile to `have`. No database: no profile."""
    country = country_code(country) if country is not None else None
    with _on_field("goal" if kind == "certification" else kind):
        goal = resolve_goal(catalog, kind, ref)
    given = parse_have(catalog, have or (), today=today)
    used = db is not None and uses_profile(have, use_profile)
    profile = load_holdings(db, learner_id=learner_id) if db is not None and used else None
    holdings = _merge(profile, given) if profile is not None else given
    roadmap = plan_roadmap(catalog, goal, holdings, today=today, country=country)
    return LearnerRoadmap(roadmap, derive_held(catalog, holdings, today=today), profile)


def uses_profile(have: Sequence[str] | None, use_profile: bool | None) -> bool:
    """Whether the stored profile counts: as asked, else only when the learner did not say what they hold."""
    return use_profile if use_profile is not None else have is None


def _merge(stored: Holdings, given: Holdings) -> Holdings:
    """The stored profile plus what the learner says they hold; a given date replaces the stored one."""
    recorded = {h.certification: h for h in stored.certifications}
    recorded.update({h.certification: h for h in given.certifications})
    return Holdings(tuple(recorded.values()), stored.passed_exams + given.passed_exams)


@contextmanager
def _on_field(field: str) -> Iterator[None]:
    """An input error raised inside names `field` (the form shows it beside that field)."""
    try:
        yield
    except InvalidInput as e:
        e.data.setdefault("field", field)
        raise


def profile_summary(catalog: Catalog, profile: Holdings) -> str:
    """`AZ-104 (earned 2026-03-01), passed AZ-400 on 2026-11-24`, or `nothing recorded yet`."""
    parts = [
        f"{catalog.get(h.certification).exam.code} ({f'earned {h.earned_on}' if h.earned_on else 'no date'})"
        for h in profile.certifications
    ]
    parts += [f"passed {code}{f' on {day}' if day else ''}" for code, day in profile.passed_exams]
    return ", ".join(parts) or "nothing recorded yet"

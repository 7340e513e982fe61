"""Teams: who manages whom, what a manager may see of a member, and the team figures.

A manager sees, per member, what helps them support the person (the Associate prerequisite held, the booked exam
date, a readiness band, plan progress, retake and renewal dates, certifications expiring soon), never answers or
item reviews; team averages only for groups large enough that no one person's figures can be read off them.
Pure: no database, no framework.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from certprep.domain.catalog import AllOf, AnyOf, CertRef, Requirement
from certprep.errors import InvalidInput

MemberRole = Literal["member", "manager"]
MEMBER_ROLES: tuple[MemberRole, ...] = ("member", "manager")
INVITATION_LIFETIME = timedelta(days=7)
MIN_GROUP_FOR_AVERAGES = 5  # below this, an average says too much about each member
EXPIRY_HORIZON_DAYS = 183  # "certifications expiring in the next 6 months"
Band = Literal["not enough evidence", "below the pass mark", "near the pass mark", "likely to pass"]
BANDS: tuple[Band, ...] = (
    "not enough evidence",
    "below the pass mark",
    "near the pass mark",
    "likely to pass",
)


def readiness_band(readiness: Mapping[str, Any] | None) -> Band:
    """A readiness estimate as a band (what a manager sees; never the number): by the pass probability, below 30%,
    30-70% and 70% or more; "not enough evidence" when the estimate is not supported yet."""
    if not readiness or not readiness.get("supported"):
        return "not enough evidence"
    p = float(readiness["pass_probability"])
    return "below the pass mark" if p < 0.3 else ("near the pass mark" if p < 0.7 else "likely to pass")


def check_team_name(value: str) -> str:
    name = " ".join(value.split())
    if not 1 <= len(name) <= 100:
        raise InvalidInput("a team name needs 1-100 characters", field="name")
    return name


def check_member_role(value: str) -> MemberRole:
    for role in MEMBER_ROLES:
        if value == role:
            return role
    raise InvalidInput(f"unknown team role {value[:40]!r}: use member or manager", field="role")


def certifications_in(req: Requirement | None) -> tuple[str, ...]:
    """Every certification a requirement names, in order (the Associates that open the Expert certification)."""
    if req is None:
        return ()
    if isinstance(req, CertRef):
        return (req.certification,)
    assert isinstance(req, AllOf | AnyOf)
    return tuple(c for term in req.terms for c in certifications_in(term))


@dataclass(frozen=True, slots=True)
class MemberSummary:
    """One member as their manager sees them."""

    account_id: str
    username: str
    role: MemberRole
    associate: str | None  # the prerequisite certification held (its name), None when none
    exam_on: date | None  # the next booked sitting
    band: Band
    plan_done: int  # plan blocks done
    plan_total: int  # plan blocks in the active plan (0: no plan)
    retake_from: date | None  # the earliest retake of a failed exam, when one waits
    renewals: tuple[tuple[str, date], ...]  # held certifications and when they expire
    expiring: tuple[tuple[str, date], ...]  # those expiring within EXPIRY_HORIZON_DAYS

    @property
    def plan_percent(self) -> int | None:
        return round(100 * self.plan_done / self.plan_total) if self.plan_total else None


def expiring_soon(renewals: Sequence[tuple[str, date]], today: date) -> tuple[tuple[str, date], ...]:
    """The certifications of `renewals` that expire from today to EXPIRY_HORIZON_DAYS ahead."""
    horizon = today + timedelta(days=EXPIRY_HORIZON_DAYS)
    return tuple((name, day) for name, day in renewals if today <= day <= horizon)


@dataclass(frozen=True, slots=True)
class TeamFigures:
    """Averages over the learners of a team (managers left out), given only for MIN_GROUP_FOR_AVERAGES or more."""

    learners: int
    with_associate: int
    booked: int
    mean_plan_percent: int | None
    bands: tuple[tuple[Band, int], ...]


def team_figures(members: Sequence[MemberSummary]) -> TeamFigures | None:
    """The team's figures, or None for a group too small to average without exposing someone."""
    learners = [m for m in members if m.role == "member"]
    if len(learners) < MIN_GROUP_FOR_AVERAGES:
        return None
    percents = [m.plan_percent for m in learners if m.plan_percent is not None]
    counts = Counter(m.band for m in learners)
    return TeamFigures(
        learners=len(learners),
        with_associate=sum(1 for m in learners if m.associate),
        booked=sum(1 for m in learners if m.exam_on),
        mean_plan_percent=round(sum(percents) / len(percents)) if percents else None,
        bands=tuple((b, counts.get(b, 0)) for b in BANDS),
    )


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    members: int


@dataclass(frozen=True, slots=True)
class TeamView:
    team: Team
    members: tuple[MemberSummary, ...]
    figures: TeamFigures | None

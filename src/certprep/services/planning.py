"""The study plan anchored on the exam date: build it from the goal, the date, the hours and the evidence; re-plan
it keeping what was done; today's blocks, the streak; the retake coach; the calendar (a file and a feed).

The plan itself is decided by `domain/planner.py`; this module gathers its inputs (outline weights, per-objective
mastery from first answers, the pack's adjustment for the prerequisite held, the review queue's forecast) and
stores the result in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from certprep.db import plans as rows
from certprep.db import reviews as review_rows
from certprep.db.irt import first_scores
from certprep.db.profile import ensure_learner, load_bookings, load_credentials, load_sittings
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.domain.labs import combine_mastery
from certprep.domain.plan_values import PRESETS, Block, Plan, PlanInput, PresetName
from certprep.domain.planner import (
    adjustments_for,
    build_plan,
    objective_weights,
    prerequisite_hours_for,
    preset_exam_day,
    replan,
)
from certprep.domain.policy import renewal_status, retake_decision
from certprep.domain.srs import forecast
from certprep.errors import InvalidInput, NotFound, PolicyViolation
from certprep.interchange.ical import CalendarEvent, calendar_ics
from certprep.packs.plan import load_plan_rules
from certprep.services.content import builtin_pack_path, get_bank
from certprep.services.database import Database
from certprep.services.labs import lab_mastery, labs_by_objective
from certprep.services.reviews import sync_queue

MAX_HOURS_PER_DAY = 16.0


@dataclass(frozen=True, slots=True)
class PlanView:
    """The learner's active plan as the faces show it."""

    plan_id: str
    kind: str
    goal: str
    preset: str | None
    plan: Plan
    done: Mapping[str, datetime]
    feed_token: str
    objectives: Mapping[str, tuple[str, str]]  # objective id -> (code, text)
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # objective id -> documentation pages
    labs: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )  # objective -> (lab id, title)

    def blocks_on(self, day: date) -> tuple[Block, ...]:
        return tuple(b for b in self.plan.blocks if b.day == day)


@dataclass(frozen=True, slots=True)
class Today:
    day: date
    blocks: tuple[Block, ...]
    done: frozenset[str]
    reviews_due: int
    streak: int
    days_left: int | None
    plan: PlanView | None


def _weights(catalog: Catalog, exam: str) -> Any:
    outline = catalog.outline(exam)
    return objective_weights(
        [(g.id, g.weight, [(o.id, o.code, o.text) for o in g.objectives]) for g in outline.groups]
    )


def _mastery(session: Session, learner_id: str, bank: Bank) -> dict[str, float]:
    """Per objective: the mean score of the learner's first answer to each of its items (0 when none yet), joined
    with the evidence of the learner's lab reports (`domain.labs.combine_mastery`)."""
    objective = {i.meta.id: i.meta.objective for i in bank.items}
    sums: dict[str, list[float]] = {}
    for item, fraction in first_scores(session, learner_id).items():
        if item in objective:
            sums.setdefault(objective[item], []).append(fraction)
    items = {o: sum(v) / len(v) for o, v in sums.items()}
    return combine_mastery(items, lab_mastery(session, learner_id))


def _check_hours(weekday_hours: Sequence[float]) -> tuple[float, ...]:
    if len(weekday_hours) != 7:
        raise InvalidInput("give hours for the 7 weekdays, Monday first", field="weekday_hours")
    for n, h in enumerate(weekday_hours):
        if not 0 <= h <= MAX_HOURS_PER_DAY:
            day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[n]
            raise InvalidInput(f"{day}: hours must be between 0 and 16, not {h:g}", field="weekday_hours")
    if not any(weekday_hours):
        raise InvalidInput("at least one weekday needs study hours", field="weekday_hours")
    return tuple(float(h) for h in weekday_hours)


def _exam_day(
    session: Session, learner_id: str, exam: str, given: date | None, preset: str | None, today: date
) -> date:
    if given is not None:
        day = given
    else:
        booked = [b for b in load_bookings(session, learner_id) if b.exam_code == exam]
        if booked:
            day = booked[0].scheduled_at.date()
        elif preset is not None:
            day = preset_exam_day(preset, today)  # type: ignore[arg-type]
        else:
            raise InvalidInput("give an exam date or a preset, or book your exam first", field="exam_day")
    if day <= today:
        raise InvalidInput(f"the exam day {day} is not after today ({today})", field="exam_day")
    if day > today + timedelta(days=366):
        raise InvalidInput(
            f"the exam day {day} is more than a year away: plan closer to it", field="exam_day"
        )
    return day


def _plan_input(
    session: Session,
    *,
    catalog: Catalog,
    bank: Bank,
    learner_id: str,
    start: date,
    exam_day: date,
    inputs: Mapping[str, Any],
    mastery: Mapping[str, float] | None = None,
    pack_dir: Path | None = None,
) -> PlanInput:
    exam = str(inputs.get("exam", "AZ-400"))
    held = {h.certification for h in load_credentials(session, learner_id)}
    rules = load_plan_rules(pack_dir or builtin_pack_path(catalog.pack_id))
    weights = _weights(catalog, exam)
    preset: PresetName | None = inputs.get("preset")
    cards = [review_rows.to_state(r) for r in review_rows.cards(session, learner_id)]
    return PlanInput(
        start=start,
        exam_day=exam_day,
        weekday_hours=tuple(inputs["weekday_hours"]),
        objectives=weights,
        mastery=mastery if mastery is not None else _mastery(session, learner_id, bank),
        adjustments=adjustments_for(rules, held, weights),
        days_off=frozenset(date.fromisoformat(d) for d in inputs.get("days_off", [])),
        review_hours=forecast(cards, start, (exam_day - start).days) if cards else {},
        prerequisite_hours=prerequisite_hours_for(rules, preset, held),
        preset=preset,
    )


def _view(session: Session, row: Any, catalog: Catalog, bank: Bank) -> PlanView:
    blocks = rows.blocks_of(session, row.id)
    outline = catalog.outline(str(row.inputs.get("exam", "AZ-400")))
    links: dict[str, list[str]] = {}
    for link in bank.study_links:
        links.setdefault(link.objective, []).append(link.url)
    return PlanView(
        row.id,
        row.kind,
        row.goal,
        row.preset,
        rows.to_plan(row, blocks),
        {b.block_id: b.done_at for b in blocks if b.done_at is not None},
        row.feed_token,
        {o.id: (o.code, o.text) for o in outline.objectives},
        {k: tuple(v[:3]) for k, v in links.items()},
        labs_by_objective(),  # a plan's lab blocks point to the hands-on labs of their objective
    )


def make_plan(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    preset: str | None = None,
    exam_day: date | None = None,
    weekday_hours: Sequence[float] | None = None,
    days_off: Sequence[date] = (),
    exam: str = "AZ-400",
    bank: Bank | None = None,
    pack_dir: Path | None = None,
) -> PlanView:
    """A new plan to the exam date (given, booked, or the preset's length); it replaces the active one."""
    if preset is not None and preset not in PRESETS:
        raise InvalidInput(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}", field="preset")
    suggested = (
        (PRESETS[preset].weekday_hours or (PRESETS[preset].hours_per_day,) * 7) if preset else (2.0,) * 7
    )
    hours = _check_hours(weekday_hours or suggested)
    bank = bank or get_bank()
    today = now.date()
    cert = catalog.certification(exam)
    inputs = {
        "exam": cert.exam.code,
        "preset": preset,
        "weekday_hours": list(hours),
        "days_off": sorted(d.isoformat() for d in days_off if d >= today),
    }
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        day = _exam_day(session, learner_id, cert.exam.code, exam_day, preset, today)
        sync_queue(session, bank=bank, learner_id=learner_id, now=now)
        plan = build_plan(
            _plan_input(
                session,
                catalog=catalog,
                bank=bank,
                learner_id=learner_id,
                start=today,
                exam_day=day,
                inputs=inputs,
                pack_dir=pack_dir,
            )
        )
        return _store(session, catalog, bank, learner_id, "study", cert.id, preset, plan, inputs, now)


def _store(
    session: Session,
    catalog: Catalog,
    bank: Bank,
    learner_id: str,
    kind: str,
    goal: str,
    preset: str | None,
    plan: Plan,
    inputs: dict[str, Any],
    now: datetime,
    *,
    done: Mapping[str, datetime] | None = None,
    token: str | None = None,
) -> PlanView:
    old = rows.active_plan(session, learner_id, lock=True)
    if old is not None:
        token = token or old.feed_token
        old.feed_token = f"retired-{old.id}"  # the feed follows the learner's current plan
        session.flush()
    rows.retire_plans(session, learner_id)
    row = rows.add_plan(
        session,
        plan_id=secrets.token_hex(8),
        learner_id=learner_id,
        kind=kind,
        goal=goal,
        preset=preset,
        plan=plan,
        inputs=inputs,
        feed_token=token or secrets.token_urlsafe(24),
        done=dict(done or {}),
        now=now,
    )
    session.flush()
    return _view(session, row, catalog, bank)


def replan_plan(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    bank: Bank | None = None,
    pack_dir: Path | None = None,
) -> PlanView:
    """Keep what was done, drop what was missed, spread what is left over the days that remain."""
    bank = bank or get_bank()
    with db.transaction() as session:
        row = _active(session, learner_id)
        if row.exam_day <= now.date():
            raise PolicyViolation(f"the exam day {row.exam_day} has come: make a new plan", field="exam_day")
        blocks = rows.blocks_of(session, row.id)
        done = {b.block_id: b.done_at for b in blocks if b.done_at is not None}
        previous = rows.to_plan(row, blocks)
        inputs = dict(row.inputs)
        mastery = inputs.get("mastery")  # a retake plan keeps the score report's bars as its evidence
        inp = _plan_input(
            session,
            catalog=catalog,
            bank=bank,
            learner_id=learner_id,
            start=now.date(),
            exam_day=row.exam_day,
            inputs=inputs,
            mastery=mastery,
            pack_dir=pack_dir,
        )
        plan = replan(previous, frozenset(done), inp)
        return _store(
            session,
            catalog,
            bank,
            learner_id,
            row.kind,
            row.goal,
            row.preset,
            plan,
            inputs,
            now,
            done={k: v for k, v in done.items() if v is not None},
        )


def _active(session: Session, learner_id: str) -> Any:
    row = rows.active_plan(session, learner_id, lock=True)
    if row is None:
        raise NotFound("no study plan yet: make one first (certprep plan --preset balanced)", field="plan")
    return row


def current_plan(
    db: Database, *, catalog: Catalog, learner_id: str, bank: Bank | None = None
) -> PlanView | None:
    with db.transaction() as session:
        row = rows.active_plan(session, learner_id)
        return _view(session, row, catalog, bank or get_bank()) if row else None


def mark_block(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    block_id: str,
    done: bool,
    now: datetime,
    bank: Bank | None = None,
) -> PlanView:
    """Mark a block of the active plan done (or not done again)."""
    with db.transaction() as session:
        row = _active(session, learner_id)
        block = rows.block_row(session, row.id, block_id)
        if done and block.day > now.date():
            raise PolicyViolation(f"block {block_id} is planned for {block.day}, not done yet", field="block")
        block.done_at = (block.done_at or now) if done else None
        session.flush()
        return _view(session, row, catalog, bank or get_bank())


def streak(days: set[date], today: date) -> int:
    """Consecutive days with study or reviews, ending today (or yesterday, when today has nothing yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def today_view(
    db: Database, *, catalog: Catalog, learner_id: str, now: datetime, bank: Bank | None = None
) -> Today:
    """Today's blocks, the reviews due, the streak and the days left."""
    bank = bank or get_bank()
    day = now.date()
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        sync_queue(session, bank=bank, learner_id=learner_id, now=now)
        due = review_rows.due_count(session, learner_id, now)
        since = day - timedelta(days=400)
        active_days = rows.done_days(session, learner_id, since) | review_rows.review_days(
            session, learner_id, since
        )
        row = rows.active_plan(session, learner_id)
        view = _view(session, row, catalog, bank) if row else None
    blocks = view.blocks_on(day) if view else ()
    return Today(
        day,
        blocks,
        frozenset(b.id for b in blocks if view and b.id in view.done),
        due,
        streak(active_days, day),
        (view.plan.exam_day - day).days if view else None,
        view,
    )


def retake_plan(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    group_scores: Mapping[str, float],
    weekday_hours: Sequence[float] | None = None,
    exam: str = "AZ-400",
    bank: Bank | None = None,
    pack_dir: Path | None = None,
) -> PlanView:
    """After a failed exam: the earliest retake the policy allows, and a plan to it weighted by the weak groups.

    `group_scores` are the per-group bars of the score report, in percent (0-100)."""
    hours = _check_hours(weekday_hours or (2.0,) * 7)
    bank = bank or get_bank()
    cert = catalog.certification(exam)
    outline = catalog.outline(cert.exam.code)
    groups = {g.id: g for g in outline.groups}
    for gid, pct in group_scores.items():
        if gid not in groups:
            raise InvalidInput(
                f"unknown functional group {gid!r}; choose from: {', '.join(groups)}", field="group_scores"
            )
        if not 0 <= pct <= 100:
            raise InvalidInput(
                f"{gid}: a bar is a percentage from 0 to 100, not {pct:g}", field="group_scores"
            )
    missing = [g for g in groups if g not in group_scores]
    if missing:
        raise InvalidInput(
            f"give a bar for every functional group (missing: {', '.join(missing)})", field="group_scores"
        )
    mastery: dict[str, float] = {o.id: group_scores[g.id] / 100 for g in outline.groups for o in g.objectives}
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        sittings = load_sittings(session, learner_id, cert.exam.code)
        held = {h.certification: h for h in load_credentials(session, learner_id)}
        if not sittings or sittings[-1].passed:
            raise PolicyViolation(
                f"the retake coach needs a failed {cert.exam.code} sitting: record it first (certprep profile sitting)",
                field="sitting",
            )
        h = held.get(cert.id)
        decision = retake_decision(
            sittings,
            now=now,
            certification_held=h is not None,
            certification_expires_on=h.expires_on if h else None,
        )
        earliest = (decision.earliest or now).date()
        day = max(earliest, now.date() + timedelta(days=1))
        inputs = {
            "exam": cert.exam.code,
            "preset": None,
            "weekday_hours": list(hours),
            "days_off": [],
            "mastery": mastery,
            "group_scores": dict(group_scores),
            "retake_rule": decision.rule,
        }
        inp = _plan_input(
            session,
            catalog=catalog,
            bank=bank,
            learner_id=learner_id,
            start=now.date(),
            exam_day=day,
            inputs=inputs,
            mastery=mastery,
            pack_dir=pack_dir,
        )
        return _store(
            session, catalog, bank, learner_id, "retake", cert.id, None, build_plan(inp), inputs, now
        )


def _events(
    session: Session, catalog: Catalog, learner_id: str, view: PlanView | None, now: datetime
) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    if view is not None:
        for b in view.plan.blocks:
            code, text = view.objectives.get(b.objective or "", ("", ""))
            what = f"{b.activity} {code}".strip()
            events.append(
                CalendarEvent(
                    uid=f"{view.plan_id}-{b.id}@certprep",
                    summary=f"certprep: {what} ({b.hours:g} h)",
                    start=b.day,
                    end=b.day + timedelta(days=1),
                    description=text,
                    url=(view.links.get(b.objective or "") or (None,))[0],
                    categories=("study",),
                )
            )
    for booking in load_bookings(session, learner_id):
        events.append(
            CalendarEvent(
                uid=f"exam-{booking.exam_code}-{booking.scheduled_at:%Y%m%d}@certprep",
                summary=f"Exam {booking.exam_code}",
                start=booking.scheduled_at,
                end=booking.scheduled_at + timedelta(minutes=150),
                categories=("exam",),
            )
        )
        sittings = load_sittings(session, learner_id, booking.exam_code)
        failed: list[Any] = [*sittings, _Failed(booking.scheduled_at)]
        retake = retake_decision(failed, now=now, certification_held=False, certification_expires_on=None)
        if retake.earliest is not None:
            events.append(
                CalendarEvent(
                    uid=f"retake-{booking.exam_code}-{booking.scheduled_at:%Y%m%d}@certprep",
                    summary=f"Earliest retake of {booking.exam_code} if the exam is not passed",
                    start=retake.earliest.date(),
                    end=retake.earliest.date() + timedelta(days=1),
                    description=retake.reason,
                    url=retake.source,
                    categories=("retake",),
                )
            )
    for h in load_credentials(session, learner_id):
        cert = catalog.certification(h.certification)
        status = renewal_status(
            expires_on=h.expires_on,
            validity_kind=cert.validity.kind,
            retired_on=cert.retired_on if cert.retired else None,
            today=now.date(),
        )
        if status.window_opens is not None:
            events.append(
                CalendarEvent(
                    uid=f"renewal-{cert.id}-{status.window_opens}@certprep",
                    summary=f"Renewal opens: {cert.name}",
                    start=status.window_opens,
                    end=status.window_opens + timedelta(days=1),
                    url=status.source,
                    categories=("renewal",),
                )
            )
        if h.expires_on is not None:
            events.append(
                CalendarEvent(
                    uid=f"expiry-{cert.id}-{h.expires_on}@certprep",
                    summary=f"Expires: {cert.name}",
                    start=h.expires_on,
                    end=h.expires_on + timedelta(days=1),
                    categories=("expiry",),
                )
            )
    return events


@dataclass(frozen=True, slots=True)
class _Failed:
    """A sitting assumed failed, to find the earliest retake date should the booked exam not be passed."""

    taken_at: datetime
    passed: bool = False


def plan_calendar(
    db: Database, *, catalog: Catalog, learner_id: str, now: datetime, bank: Bank | None = None
) -> bytes:
    """The learner's calendar: study blocks, the exam, the earliest retake if it fails, renewals and expiries."""
    with db.transaction() as session:
        row = rows.active_plan(session, learner_id)
        view = _view(session, row, catalog, bank or get_bank()) if row else None
        events = _events(session, catalog, learner_id, view, now)
    return calendar_ics(events, name="certprep study plan", now=now)


def calendar_feed(
    db: Database, *, catalog: Catalog, token: str, now: datetime, bank: Bank | None = None
) -> bytes:
    """The calendar behind a feed address; an unknown or retired token is "not found" (no hint which exist)."""
    if len(token) < 20 or token.startswith("retired-"):
        raise NotFound("no such calendar feed")
    with db.transaction() as session:
        row = rows.plan_by_token(session, token)
        if row is None or not row.active:
            raise NotFound("no such calendar feed")
        learner_id = row.learner_id
    return plan_calendar(db, catalog=catalog, learner_id=learner_id, now=now, bank=bank)


__all__ = ["PlanView", "Today", "make_plan", "mark_block", "replan_plan", "retake_plan", "today_view"]

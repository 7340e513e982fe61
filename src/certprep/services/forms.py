"""Starting attempts: a mock exam's form drawn to the blueprint, a practice set by the learner's filters; both
stored with the revisions of their items before the learner sees the first one."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from certprep.db import attempts as rows
from certprep.db.profile import ensure_learner, extra_minutes, load_bookings
from certprep.domain.attempt import Attempt, deadline_for, is_locked
from certprep.domain.catalog import Catalog, Certification, Outline
from certprep.domain.exam import (
    NEVER,
    Form,
    FormEntry,
    Section,
    assemble_form,
    blueprint_for,
    choice_order,
    usable_in,
)
from certprep.domain.items import Bank, Item, check_item_types
from certprep.domain.plain import to_plain
from certprep.domain.profile import exam_language
from certprep.errors import InvalidInput
from certprep.packs.revisions import revision_of
from certprep.services.attempts import AttemptView, EntryStatus
from certprep.services.bank import store_revisions
from certprep.services.content import get_bank
from certprep.services.database import Database


def store_attempt(
    session: Session,
    *,
    attempt: Attempt,
    form: Form,
    items: dict[str, Item],
    pack_id: str,
    extension: int,
    options: dict[str, Any],
    history: dict[str, tuple[int, bool]],
    now: datetime,
) -> AttemptView:
    """Inside the caller's transaction: record the items' revisions, the learner, the attempt and its form.
    `history` is the learner's exposure per item (`db.attempts.item_history`), which the caller has read already."""
    revisions = {iid: revision_of(item) for iid, item in items.items()}
    store_revisions(session, items=list(items.values()), pack_id=pack_id, now=now)
    ensure_learner(session, attempt.learner_id, now=now)
    rows.add_attempt(session, attempt, pack_id=pack_id, extension_minutes=extension, options=options)
    session.flush()
    rows.add_form(session, attempt, form.entries, revisions, history)
    entries = tuple(
        EntryStatus(
            e.position,
            e.section,
            items[e.item_id].type,
            False,
            False,
            is_locked(attempt, section=e.section, item_type=items[e.item_id].type, answered=False),
        )
        for e in form.entries
    )
    left = attempt.time_left(now)
    return AttemptView(attempt, entries, None if left is None else int(left.total_seconds()))


def start_exam(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    exam: str = "AZ-400",
    seed: int | None = None,
    items: int | None = None,
    language: str | None = None,
    bank: Bank | None = None,
    bank_root: Path | None = None,
) -> AttemptView:
    """Assemble and store a mock exam form to the blueprint of the outline the learner's exam follows.

    Its time is the exam's own, plus the accommodation in the learner's profile (never set by the request).

    The outline is the one the booked exam's language and date give (localised exams follow a revision about
    eight weeks late); without a booking, or with an explicit language, the outline in force today for it.
    """
    cert = catalog.certification(exam)
    sim = cert.exam.simulation
    if sim is None:
        raise InvalidInput(f"{cert.exam.code} has no exam simulation in this pack", field="exam")
    language = exam_language(language) if language else None
    bank = bank or get_bank(bank_root)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    with db.transaction() as session:
        return _start_exam(session, catalog, cert, learner_id, now, seed, items, language, bank)


def _start_exam(
    session: Session,
    catalog: Catalog,
    cert: Certification,
    learner_id: str,
    now: datetime,
    seed: int,
    items: int | None,
    language: str | None,
    bank: Bank,
) -> AttemptView:
    sim = cert.exam.simulation
    assert sim is not None
    day = now.date()
    if language is None:
        booked = [b for b in load_bookings(session, learner_id) if b.exam_code == cert.exam.code]
        language = booked[0].language if booked else "en"
        day = max(day, booked[0].scheduled_at.date()) if booked else day
    outline = catalog.outline_for_sitting(cert.exam.code, language, day)
    blueprint = blueprint_for(outline, sim, scored_items=items)
    extension = extra_minutes(session, learner_id)
    last_seen, history = rows.item_history(session, learner_id)
    # the day of the sitting (today, or the booked day): its outline, and no item whose topic retires by then
    form, used = assemble_form(bank, outline, blueprint, rng=random.Random(seed), last_seen=last_seen, on=day)
    attempt = Attempt(
        id=secrets.token_hex(8),
        learner_id=learner_id,
        mode="exam",
        exam=cert.exam.code,
        outline=outline.version,
        status="in-progress",
        started_at=now,
        deadline=deadline_for(now, blueprint.minutes, extension),
        current_section=0,
        sections=form.sections,
        seed=seed,
    )
    return store_attempt(
        session,
        attempt=attempt,
        form=form,
        items=used,
        pack_id=catalog.pack_id,
        extension=extension,
        options={"items": blueprint.scored_items, "language": language},
        history=history,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class PracticeFilter:
    groups: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    count: int = 10
    only_missed: bool = False
    not_seen_in_last: int = 0
    exclude_case_studies: bool = False
    minutes: int | None = None

    def __post_init__(self) -> None:
        check_item_types(self.types)


def start_practice(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    now: datetime,
    choice: PracticeFilter,
    exam: str = "AZ-400",
    seed: int | None = None,
    bank: Bank | None = None,
    bank_root: Path | None = None,
) -> AttemptView:
    """A practice set by group, objective and type, with the learner's filters; one section, feedback per item."""
    cert = catalog.certification(exam)
    outline = catalog.outline(cert.exam.code)
    group_ids = {g.id for g in outline.groups}
    objective_ids = {o.id for o in outline.objectives}
    for g in choice.groups:
        if g not in group_ids:
            raise InvalidInput(f"unknown functional group {g!r}", field="groups", known=sorted(group_ids))
    for o in choice.objectives:
        if o not in objective_ids:
            raise InvalidInput(f"unknown objective {o!r}", field="objectives")
    if not 1 <= choice.count <= 100:
        raise InvalidInput("a practice set has 1 to 100 items", field="count")
    bank = bank or get_bank(bank_root)
    in_groups = frozenset(
        o.id for g in outline.groups if not choice.groups or g.id in choice.groups for o in g.objectives
    )
    with db.transaction() as session:
        return _start_practice(
            session, catalog, cert, outline, learner_id, now, choice, seed, bank, in_groups
        )


def _start_practice(
    session: Session,
    catalog: Catalog,
    cert: Certification,
    outline: Outline,
    learner_id: str,
    now: datetime,
    choice: PracticeFilter,
    seed: int | None,
    bank: Bank,
    in_groups: frozenset[str],
) -> AttemptView:
    last_seen, history = rows.item_history(session, learner_id)
    missed = rows.missed_items(session, learner_id) if choice.only_missed else set()
    recent = (
        rows.items_in_recent_sets(session, learner_id, choice.not_seen_in_last)
        if choice.not_seen_in_last
        else set()
    )
    case_ids = {c.id for c in bank.case_studies}
    pool = [
        i
        for i in bank.items
        if usable_in(i, in_groups, on=now.date())
        and (not choice.objectives or i.meta.objective in choice.objectives)
        and (not choice.types or i.type in choice.types)
        and (not choice.only_missed or i.meta.id in missed)
        and i.meta.id not in recent
        and not (choice.exclude_case_studies and i.meta.container in case_ids)
    ]
    if not pool:
        raise InvalidInput("no item matches these filters", field="filters")
    seed = seed if seed is not None else secrets.randbelow(2**31)
    rng = random.Random(seed)
    pool.sort(key=lambda i: (last_seen.get(i.meta.id, NEVER), rng.random()))
    chosen = pool[: choice.count]
    entries = tuple(FormEntry(n, 0, i.meta.id, choice_order(i, rng)) for n, i in enumerate(chosen))
    form = Form((Section(0, "questions", "Practice"),), entries)
    attempt = Attempt(
        id=secrets.token_hex(8),
        learner_id=learner_id,
        mode="practice",
        exam=cert.exam.code,
        outline=outline.version,
        status="in-progress",
        started_at=now,
        deadline=deadline_for(now, choice.minutes),
        current_section=0,
        sections=form.sections,
        seed=seed,
    )
    return store_attempt(
        session,
        attempt=attempt,
        form=form,
        items={i.meta.id: i for i in chosen},
        pack_id=catalog.pack_id,
        extension=0,
        options=to_plain(choice),
        history=history,
        now=now,
    )

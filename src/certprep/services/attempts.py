"""Practice and mock-exam use cases: start, view, answer, mark, leave a section, submit, report, history.

Every answer is committed before it is acknowledged; a retried request id is applied once. The clock is the
stored deadline: each call first submits an attempt whose time has run out, with what was answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from certprep.db import attempts as rows
from certprep.db.items import revision_contents
from certprep.domain.attempt import (
    Attempt,
    check_answerable,
    check_discardable,
    check_in_section,
    check_open,
    gives_feedback,
    is_locked,
    key_shown,
    next_section,
)
from certprep.domain.catalog import Catalog
from certprep.domain.exam import FormEntry
from certprep.domain.items import Bank, Item, grade, max_points, parse_response
from certprep.domain.plain import to_plain
from certprep.domain.presentation import present, reveal, to_ids, to_labels
from certprep.domain.report import build_report, counts_in_trend
from certprep.errors import InvalidInput, NotFound, PolicyViolation
from certprep.packs.revisions import item_from_json
from certprep.services.content import get_bank
from certprep.services.database import Database
from certprep.services.readiness import record_readiness
from certprep.services.reports import ScoreReport, score_report


@dataclass(frozen=True, slots=True)
class EntryStatus:
    position: int
    section: int
    type: str
    answered: bool
    marked: bool
    locked: bool


@dataclass(frozen=True, slots=True)
class AttemptView:
    attempt: Attempt
    entries: tuple[EntryStatus, ...]
    seconds_left: int | None

    @property
    def current(self) -> tuple[EntryStatus, ...]:
        return tuple(e for e in self.entries if e.section == self.attempt.current_section)


@dataclass(frozen=True, slots=True)
class ItemView:
    attempt_id: str
    position: int
    section: int
    shown: dict[str, Any]
    answer: Any
    marked: bool
    locked: bool
    case_study: dict[str, Any] | None
    feedback: dict[str, Any] | None
    seconds_left: int | None


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    attempt_id: str
    position: int
    recorded: bool
    changes: int
    feedback: dict[str, Any] | None


_REVISIONS: dict[str, Item] = {}  # a revision is a content hash: its item never changes, so it is cached


def _items(session: Session, revisions: set[str]) -> dict[str, Item]:
    """The items of several revisions, loading the ones not cached yet in one query."""
    missing = {r for r in revisions if r not in _REVISIONS}
    for revision, text in revision_contents(session, missing).items():
        if len(_REVISIONS) > 20_000:
            _REVISIONS.clear()
        _REVISIONS[revision] = item_from_json(text)
    lost = missing - set(_REVISIONS)
    if lost:
        revision = sorted(lost)[0]
        raise NotFound(f"item revision {revision} is missing from the database", revision=revision)
    return {r: _REVISIONS[r] for r in revisions}


def _item(session: Session, revision: str) -> Item:
    return _items(session, {revision})[revision]


def _seconds(attempt: Attempt, now: datetime) -> int | None:
    left = attempt.time_left(now)
    return None if left is None else int(left.total_seconds())


def _finalize_if_over(
    session: Session, row: Any, *, catalog: Catalog, bank: Bank | None, now: datetime
) -> None:
    attempt = rows.to_attempt(row)
    if attempt.status == "in-progress" and attempt.is_over(now):
        # Every request after the deadline tries this at once on exam day: lock the row, then look again, so only
        # the first submits and the rest see it submitted.
        session.refresh(row, with_for_update=True)
        attempt = rows.to_attempt(row)
        if attempt.status != "in-progress":
            return
        assert attempt.deadline is not None
        submit_row(session, row, catalog=catalog, bank=bank, at=attempt.deadline, expired=True)


def submit_row(
    session: Session, row: Any, *, catalog: Catalog, bank: Bank | None, at: datetime, expired: bool
) -> dict[str, Any]:
    """End an attempt inside an open transaction: grade, build and store the report snapshot and readiness."""
    attempt = rows.to_attempt(row)
    form = rows.form_rows(session, attempt.id)
    responses = rows.response_rows(session, attempt.id)
    by_revision = _items(session, {f.revision for f in form})
    items = {f.position: by_revision[f.revision] for f in form}
    parsed = {p: parse_response(items[p], r.response) for p, r in responses.items()}
    links = (bank or get_bank()).study_links
    report = build_report(
        attempt_id=attempt.id,
        mode=attempt.mode,
        entries=[rows.to_entry(f) for f in form],
        items=items,
        revisions={f.position: f.revision for f in form},
        responses=parsed,
        outline=catalog.outline(attempt.exam, attempt.outline),
        study_links=links,
        submitted_at=at,
        expired=expired,
    )
    content: dict[str, Any] = to_plain(report)
    content["passed"] = report.passed
    content["readiness"] = record_readiness(
        session,
        catalog=catalog,
        bank=bank or get_bank(),
        learner_id=attempt.learner_id,
        attempt_id=attempt.id,
        now=at,
    )
    row.status = "submitted"
    row.submitted_at = at
    row.expired = expired
    rows.add_report(
        session,
        attempt.id,
        attempt.learner_id,
        content,
        method=report.method_version,
        scaled=report.scaled,
        passed=report.passed,
        now=at,
    )
    return content


def open_attempt(
    session: Session,
    *,
    learner_id: str,
    attempt_id: str,
    catalog: Catalog | None,
    now: datetime,
    lock: bool = False,
    bank: Bank | None = None,
) -> Any:
    """The learner's attempt row, submitted first if its time has run out."""
    row = rows.attempt_row(session, attempt_id, learner_id, lock=lock)
    if catalog is not None:
        _finalize_if_over(session, row, catalog=catalog, bank=bank, now=now)
    return row


def view_attempt(
    db: Database,
    *,
    learner_id: str,
    attempt_id: str,
    now: datetime,
    catalog: Catalog | None = None,
    bank: Bank | None = None,
) -> AttemptView:
    """The attempt, its sections and the status of every position (the review screen)."""
    with db.transaction() as session:
        return attempt_view(
            session, learner_id=learner_id, attempt_id=attempt_id, now=now, catalog=catalog, bank=bank
        )


def attempt_view(
    session: Session,
    *,
    learner_id: str,
    attempt_id: str,
    now: datetime,
    catalog: Catalog | None = None,
    bank: Bank | None = None,
) -> AttemptView:
    """`view_attempt` inside a transaction the caller holds (starting an attempt ends with it)."""
    row = open_attempt(
        session, learner_id=learner_id, attempt_id=attempt_id, catalog=catalog, now=now, bank=bank
    )
    attempt = rows.to_attempt(row)
    responses = rows.response_rows(session, attempt_id)
    entries = []
    form = rows.form_rows(session, attempt_id)
    by_revision = _items(session, {f.revision for f in form})
    for f in form:
        kind = by_revision[f.revision].type
        answered = f.position in responses
        locked = is_locked(attempt, section=f.section, item_type=kind, answered=answered)
        entries.append(EntryStatus(f.position, f.section, kind, answered, f.marked, locked))
    return AttemptView(attempt, tuple(entries), _seconds(attempt, now))


def _case(bank: Bank, container: str | None) -> dict[str, Any] | None:
    case = next((c for c in bank.case_studies if c.id == container), None)
    if case is None:
        return None
    return {"id": case.id, "title": case.title, "tabs": [{"title": t, "body": b} for t, b in case.tabs]}


def view_item(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    position: int,
    now: datetime,
    bank: Bank | None = None,
) -> ItemView:
    """One item as the learner may see it now (no key before answering in practice or before submission)."""
    with db.transaction() as session:
        row = open_attempt(
            session, learner_id=learner_id, attempt_id=attempt_id, catalog=catalog, now=now, bank=bank
        )
        return _item_view(session, row, position=position, now=now, bank=bank)


@dataclass(frozen=True, slots=True)
class ItemPage:
    """What the exam page shows: the attempt (sections, status of every item, time) and, while it is open, the
    item asked for."""

    attempt: AttemptView
    item: ItemView | None


def view_item_page(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    position: int,
    now: datetime,
    bank: Bank | None = None,
) -> ItemPage:
    """The attempt and one of its items, read in one transaction (no item once the attempt has ended)."""
    with db.transaction() as session:
        view = attempt_view(
            session, learner_id=learner_id, attempt_id=attempt_id, now=now, catalog=catalog, bank=bank
        )
        if view.attempt.status != "in-progress":
            return ItemPage(view, None)
        row = rows.attempt_row(session, attempt_id, learner_id)
        return ItemPage(view, _item_view(session, row, position=position, now=now, bank=bank))


def _item_view(session: Session, row: Any, *, position: int, now: datetime, bank: Bank | None) -> ItemView:
    attempt = rows.to_attempt(row)
    f = rows.form_row(session, attempt.id, position)
    if attempt.status == "in-progress":
        check_in_section(attempt, f.section, position)
        if f.first_seen_at is None:
            f.first_seen_at = now
    item = _item(session, f.revision)
    entry = rows.to_entry(f)
    r = rows.response_row(session, attempt.id, position)
    response = parse_response(item, r.response) if r else None
    show_key = key_shown(mode=attempt.mode, status=attempt.status, answered=r is not None)
    feedback = _feedback(item, entry, response) if show_key and response is not None else None
    if show_key and response is None:
        feedback = {"points": 0, "max_points": max_points(item), **reveal(item, entry.order)}
    locked = is_locked(attempt, section=f.section, item_type=item.type, answered=r is not None)
    return ItemView(
        attempt.id,
        position,
        f.section,
        present(item, entry.order),
        to_labels(item, entry.order, response),
        f.marked,
        locked,
        _case(bank or get_bank(), item.meta.container),
        feedback,
        _seconds(attempt, now),
    )


def _feedback(item: Item, entry: FormEntry, response: Any) -> dict[str, Any]:
    g = grade(item, response)
    return {
        "points": g.points,
        "max_points": g.max_points,
        "correct": g.points == g.max_points,
        **reveal(item, entry.order),
    }


def answer_item(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    position: int,
    response: Any,
    request_id: str | None,
    now: datetime,
    bank: Bank | None = None,
) -> Acknowledgement:
    """Record an answer (labels as shown) and commit it before acknowledging; a retried request id applies once."""
    with db.transaction() as session:
        row = open_attempt(
            session,
            learner_id=learner_id,
            attempt_id=attempt_id,
            catalog=catalog,
            now=now,
            lock=True,
            bank=bank,
        )
        if request_id:
            done = rows.find_request(session, attempt_id, request_id)
            if done is not None:
                if done.position != position:
                    raise InvalidInput(
                        f"request id {request_id!r} was already used for another item", field="request_id"
                    )
                return Acknowledgement(**done.acknowledgement)
        attempt = rows.to_attempt(row)
        if attempt.status != "in-progress":
            expired = " when its time ran out" if attempt.expired else ""
            raise PolicyViolation(
                f"attempt {attempt_id} was {attempt.status}{expired}; the answer was not recorded",
                attempt=attempt_id,
            )
        check_open(attempt, now)
        f = rows.form_row(session, attempt_id, position)
        item = _item(session, f.revision)
        existing = rows.response_row(session, attempt_id, position)
        check_answerable(
            attempt, section=f.section, position=position, item_type=item.type, answered=existing is not None
        )
        entry = rows.to_entry(f)
        parsed = parse_response(item, to_ids(item, entry.order, response))
        stored = to_plain(sorted(parsed) if isinstance(parsed, frozenset) else parsed)
        g = grade(item, parsed)
        changes = rows.save_response(
            session,
            existing,
            form_row=f,
            mode=attempt.mode,
            response=stored,
            points=g.points,
            max_points=g.max_points,
            now=now,
        )
        feedback = _feedback(item, entry, parsed) if gives_feedback(attempt.mode) else None
        ack = Acknowledgement(attempt_id, position, True, changes, feedback)
        if request_id:
            rows.add_request(session, attempt_id, request_id, position, to_plain(ack), now)
    return ack


def mark_item(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    position: int,
    marked: bool,
    now: datetime,
    bank: Bank | None = None,
) -> None:
    """Mark (or unmark) an item of the current section for review."""
    with db.transaction() as session:
        row = open_attempt(
            session, learner_id=learner_id, attempt_id=attempt_id, catalog=catalog, now=now, bank=bank
        )
        attempt = rows.to_attempt(row)
        check_open(attempt, now)
        f = rows.form_row(session, attempt_id, position)
        check_in_section(attempt, f.section, position)
        f.marked = marked


def leave_section(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    confirm: bool,
    now: datetime,
    bank: Bank | None = None,
) -> AttemptView:
    """Move to the next section; the one left is locked for good."""
    with db.transaction() as session:
        row = open_attempt(
            session,
            learner_id=learner_id,
            attempt_id=attempt_id,
            catalog=catalog,
            now=now,
            lock=True,
            bank=bank,
        )
        attempt = rows.to_attempt(row)
        check_open(attempt, now)
        row.current_section = next_section(attempt, confirm=confirm)
        return attempt_view(session, learner_id=learner_id, attempt_id=attempt_id, now=now, bank=bank)


def submit_attempt(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    now: datetime,
    bank: Bank | None = None,
) -> ScoreReport:
    """End the attempt and store its report snapshot (once); the report, typed."""
    with db.transaction() as session:
        row = open_attempt(
            session,
            learner_id=learner_id,
            attempt_id=attempt_id,
            catalog=catalog,
            now=now,
            lock=True,
            bank=bank,
        )
        if row.status == "submitted":
            content = rows.report_content(session, attempt_id, learner_id)
            assert content is not None
            return score_report(content)
        return score_report(submit_row(session, row, catalog=catalog, bank=bank, at=now, expired=False))


def get_report(
    db: Database,
    *,
    catalog: Catalog,
    learner_id: str,
    attempt_id: str,
    now: datetime,
    bank: Bank | None = None,
) -> ScoreReport:
    """The stored report snapshot of a submitted attempt, typed."""
    with db.transaction() as session:
        open_attempt(
            session, learner_id=learner_id, attempt_id=attempt_id, catalog=catalog, now=now, bank=bank
        )
        content = rows.report_content(session, attempt_id, learner_id)
    if content is None:
        raise PolicyViolation(f"attempt {attempt_id} is not submitted yet: no report", attempt=attempt_id)
    return score_report(content)


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One attempt in the history: a mock exam has a scaled score and a pass/fail once submitted; a practice set or
    adaptive session has points (its report has percentages per group). `in_trend` says whether it joins the
    mock exam trend."""

    attempt_id: str
    mode: str
    started_at: datetime
    status: str
    items: int
    answered: int
    expired: bool
    scaled: int | None
    passed: bool | None
    points: int | None
    max_points: int | None
    in_trend: bool


def list_attempts(
    db: Database, *, catalog: Catalog, learner_id: str, now: datetime, bank: Bank | None = None
) -> list[HistoryLine]:
    """Every attempt but the discarded ones, with its result, oldest first (expired ones are submitted on the way)."""
    with db.transaction() as session:
        for a, _ in rows.attempts_of(session, learner_id):
            _finalize_if_over(session, a, catalog=catalog, bank=bank, now=now)
    with db.transaction() as session:
        answered = rows.answered_counts(session, learner_id)
        out = []
        for a, r in rows.attempts_of(session, learner_id):
            if a.status == "discarded":
                continue
            content = r.content if r else {}
            n = answered.get(a.id, 0)
            out.append(
                HistoryLine(
                    a.id,
                    a.mode,
                    a.started_at,
                    a.status,
                    len(rows.form_rows(session, a.id)),
                    n,
                    bool(a.expired),
                    r.scaled if r and a.mode == "exam" else None,
                    r.passed if r and a.mode == "exam" else None,
                    content.get("raw"),
                    content.get("max_raw"),
                    counts_in_trend(mode=a.mode, status=a.status, answered=n) and r is not None,
                )
            )
    return out


def exam_trend(history: Sequence[HistoryLine]) -> list[tuple[str, int]]:
    """(date, scaled score) for each mock exam that counts in the trend, oldest first."""
    return [
        (h.started_at.date().isoformat(), h.scaled) for h in history if h.in_trend and h.scaled is not None
    ]


def discard_attempt(db: Database, *, learner_id: str, attempt_id: str, now: datetime) -> HistoryLine:
    """Throw away an attempt still in progress: it leaves the history and its answers stop counting as evidence."""
    with db.transaction() as session:
        row = rows.attempt_row(session, attempt_id, learner_id, lock=True)
        attempt = rows.to_attempt(row)
        check_discardable(attempt, now)
        row.status = "discarded"
        answered = rows.answered_count(session, attempt_id)
        items = len(rows.form_rows(session, attempt_id))
    return HistoryLine(
        attempt.id,
        attempt.mode,
        attempt.started_at,
        "discarded",
        items,
        answered,
        False,
        None,
        None,
        None,
        None,
        False,
    )

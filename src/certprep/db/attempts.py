"""Rows <-> attempt values: attempts, stored forms, responses, answer requests, report snapshots. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from certprep.db.tables import AnswerRequestRow, AttemptRow, FormEntryRow, ReportRow, ResponseRow
from certprep.domain.attempt import Attempt, key_shown
from certprep.domain.exam import FormEntry, Section
from certprep.errors import NotFound


def to_attempt(row: AttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        learner_id=row.learner_id,
        mode=row.mode,  # type: ignore[arg-type]
        exam=row.exam_code,
        outline=row.outline_version,
        status=row.status,  # type: ignore[arg-type]
        started_at=row.started_at,
        deadline=row.deadline,
        current_section=row.current_section,
        sections=tuple(Section(s["index"], s["kind"], s["title"], s.get("case_study")) for s in row.sections),
        seed=row.seed,
        submitted_at=row.submitted_at,
        expired=row.expired,
    )


def attempt_row(session: Session, attempt_id: str, learner_id: str, *, lock: bool = False) -> AttemptRow:
    """The attempt if it belongs to the learner; anyone else's attempt is 'not found', never revealed."""
    query = select(AttemptRow).where(AttemptRow.id == attempt_id, AttemptRow.learner_id == learner_id)
    if lock:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"no attempt {attempt_id!r}", attempt=attempt_id)
    return row


def add_attempt(
    session: Session, attempt: Attempt, *, pack_id: str, extension_minutes: int, options: dict[str, Any]
) -> None:
    session.add(
        AttemptRow(
            id=attempt.id,
            learner_id=attempt.learner_id,
            mode=attempt.mode,
            pack_id=pack_id,
            exam_code=attempt.exam,
            outline_version=attempt.outline,
            status=attempt.status,
            started_at=attempt.started_at,
            deadline=attempt.deadline,
            extension_minutes=extension_minutes,
            current_section=attempt.current_section,
            sections=[
                {"index": s.index, "kind": s.kind, "title": s.title, "case_study": s.case_study}
                for s in attempt.sections
            ],
            seed=attempt.seed,
            options=options,
        )
    )


def add_form(
    session: Session,
    attempt: Attempt,
    entries: Sequence[FormEntry],
    revisions: dict[str, str],
    history: dict[str, tuple[int, bool]],
) -> None:
    if not entries:
        return
    values = []
    for e in entries:
        seen, key_shown = history.get(e.item_id, (0, False))
        values.append(
            {
                "attempt_id": attempt.id,
                "position": e.position,
                "learner_id": attempt.learner_id,
                "section": e.section,
                "item_id": e.item_id,
                "revision": revisions[e.item_id],
                "choice_order": [[k, list(v)] for k, v in e.order],
                "scored": e.scored,
                "seen_before": seen,
                "key_shown_before": key_shown,
                "marked": False,
            }
        )
    session.execute(insert(FormEntryRow), values)  # one executemany, not 50 ORM objects in a flush


def to_entry(row: FormEntryRow) -> FormEntry:
    return FormEntry(
        row.position, row.section, row.item_id, tuple((k, tuple(v)) for k, v in row.choice_order), row.scored
    )


def form_rows(session: Session, attempt_id: str) -> list[FormEntryRow]:
    return list(
        session.scalars(
            select(FormEntryRow).where(FormEntryRow.attempt_id == attempt_id).order_by(FormEntryRow.position)
        )
    )


def form_row(session: Session, attempt_id: str, position: int) -> FormEntryRow:
    row = session.get(FormEntryRow, (attempt_id, position))
    if row is None:
        raise NotFound(f"attempt {attempt_id} has no item {position + 1}", position=position)
    return row


def response_rows(session: Session, attempt_id: str) -> dict[int, ResponseRow]:
    return {
        r.position: r
        for r in session.scalars(select(ResponseRow).where(ResponseRow.attempt_id == attempt_id))
    }


def response_row(session: Session, attempt_id: str, position: int) -> ResponseRow | None:
    return session.scalars(
        select(ResponseRow).where(ResponseRow.attempt_id == attempt_id, ResponseRow.position == position)
    ).first()


def find_request(session: Session, attempt_id: str, request_id: str) -> AnswerRequestRow | None:
    return session.get(AnswerRequestRow, (attempt_id, request_id))


def add_request(
    session: Session, attempt_id: str, request_id: str, position: int, ack: dict[str, Any], now: datetime
) -> None:
    session.add(
        AnswerRequestRow(
            attempt_id=attempt_id,
            request_id=request_id,
            position=position,
            acknowledgement=ack,
            created_at=now,
        )
    )


def item_history(
    session: Session, learner_id: str
) -> tuple[dict[str, datetime], dict[str, tuple[int, bool]]]:
    """Per item: when the learner last saw it, and (times seen, whether its key was shown) across attempts.

    Counted in the database by (item, mode, status, answered), a few rows per item however long the history."""
    answered = ResponseRow.id.is_not(None)
    rows = session.execute(
        select(
            FormEntryRow.item_id,
            AttemptRow.mode,
            AttemptRow.status,
            answered,
            func.count(),
            func.max(FormEntryRow.first_seen_at),
        )
        .join(AttemptRow, AttemptRow.id == FormEntryRow.attempt_id)
        .outerjoin(
            ResponseRow,
            (ResponseRow.attempt_id == FormEntryRow.attempt_id)
            & (ResponseRow.position == FormEntryRow.position),
        )
        .where(FormEntryRow.learner_id == learner_id, FormEntryRow.first_seen_at.is_not(None))
        .group_by(FormEntryRow.item_id, AttemptRow.mode, AttemptRow.status, answered)
    ).all()
    last: dict[str, datetime] = {}
    counts: dict[str, tuple[int, bool]] = {}
    for item_id, mode, status, was_answered, seen, seen_at in rows:
        assert seen_at is not None  # only rows with a first_seen_at are counted
        last[item_id] = max(last.get(item_id, seen_at), seen_at)
        n, shown = counts.get(item_id, (0, False))
        counts[item_id] = (
            n + seen,
            shown or key_shown(mode=mode, status=status, answered=bool(was_answered)),
        )
    return last, counts


def missed_items(session: Session, learner_id: str) -> set[str]:
    """Items whose latest answer by the learner earned less than full points."""
    rows = session.execute(
        select(ResponseRow.item_id, ResponseRow.points, ResponseRow.max_points, ResponseRow.answered_at)
        .where(ResponseRow.learner_id == learner_id)
        .order_by(ResponseRow.answered_at)
    ).all()
    latest = {item_id: points < most for item_id, points, most, _ in rows}
    return {i for i, missed in latest.items() if missed}


def items_in_recent_sets(session: Session, learner_id: str, sets: int) -> set[str]:
    recent = session.scalars(
        select(AttemptRow.id)
        .where(AttemptRow.learner_id == learner_id)
        .order_by(AttemptRow.started_at.desc())
        .limit(sets)
    ).all()
    if not recent:
        return set()
    return set(session.scalars(select(FormEntryRow.item_id).where(FormEntryRow.attempt_id.in_(recent))))


def add_report(
    session: Session,
    attempt_id: str,
    learner_id: str,
    content: dict[str, Any],
    *,
    method: str,
    scaled: int | None,
    passed: bool | None,
    now: datetime,
) -> None:
    session.add(
        ReportRow(
            attempt_id=attempt_id,
            learner_id=learner_id,
            method_version=method,
            scaled=scaled,
            passed=passed,
            content=content,
            created_at=now,
        )
    )


def report_content(session: Session, attempt_id: str, learner_id: str) -> dict[str, Any] | None:
    row = session.get(ReportRow, attempt_id)
    return row.content if row and row.learner_id == learner_id else None


def attempts_of(session: Session, learner_id: str) -> list[tuple[AttemptRow, ReportRow | None]]:
    rows = session.execute(
        select(AttemptRow, ReportRow)
        .outerjoin(ReportRow, ReportRow.attempt_id == AttemptRow.id)
        .where(AttemptRow.learner_id == learner_id)
        .order_by(AttemptRow.started_at)
    ).all()
    return [(a, r) for a, r in rows]


def save_response(
    session: Session,
    existing: ResponseRow | None,
    *,
    form_row: FormEntryRow,
    mode: str,
    response: Any,
    points: int,
    max_points: int,
    now: datetime,
) -> int:
    """Record the answer at a form position (a first answer, or a change); returns how often it has changed."""
    if existing is None:
        seen_at = form_row.first_seen_at or now
        session.add(
            ResponseRow(
                attempt_id=form_row.attempt_id,
                position=form_row.position,
                learner_id=form_row.learner_id,
                item_id=form_row.item_id,
                revision=form_row.revision,
                mode=mode,
                response=response,
                points=points,
                max_points=max_points,
                changes=0,
                time_on_item_ms=int((now - seen_at).total_seconds() * 1000),
                seen_before=form_row.seen_before,
                key_shown_before=form_row.key_shown_before,
                first_answered_at=now,
                answered_at=now,
            )
        )
        return 0
    if existing.response != response:
        existing.response, existing.points, existing.changes = response, points, existing.changes + 1
        existing.answered_at = now
    return existing.changes


def answered_counts(session: Session, learner_id: str) -> dict[str, int]:
    """Answers recorded per attempt of a learner."""
    rows = session.execute(
        select(ResponseRow.attempt_id, func.count())
        .where(ResponseRow.learner_id == learner_id)
        .group_by(ResponseRow.attempt_id)
    ).all()
    return {aid: int(n) for aid, n in rows}


def answered_count(session: Session, attempt_id: str) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(ResponseRow).where(ResponseRow.attempt_id == attempt_id)
        )
        or 0
    )


__all__ = ["date"]

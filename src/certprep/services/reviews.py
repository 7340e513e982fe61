"""The review queue: every flashcard and every item the learner got wrong, scheduled with FSRS and anchored on the
exam date (`domain/srs.py`); review sessions, the retention setting and the Anki export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from markupsafe import escape
from sqlalchemy.orm import Session

from certprep.db import reviews as rows
from certprep.db.attempts import missed_items
from certprep.db.plans import active_plan
from certprep.db.profile import ensure_learner, load_bookings
from certprep.db.tables import ReviewCardRow
from certprep.domain.items import Bank, Item
from certprep.domain.presentation import answer_parts, key_response, present, reveal, to_labels
from certprep.domain.srs import CardState, check_grade, check_retention, new_card, review
from certprep.errors import InvalidInput
from certprep.interchange.anki import AnkiNote, anki_package
from certprep.packs.markdown import render_markdown
from certprep.services.content import get_bank
from certprep.services.database import Database

SESSION_SIZE = 20


@dataclass(frozen=True, slots=True)
class ReviewPrompt:
    """A card to review: its front and back as safe HTML and as plain text (the terminal), and the queue's size."""

    card_id: int
    kind: Literal["flashcard", "item"]
    key: str
    front_html: str
    back_html: str
    front_text: str
    back_text: str
    due: datetime
    due_count: int


@dataclass(frozen=True, slots=True)
class ReviewResult:
    card_id: int
    grade: int
    next_due: datetime
    clamped: str
    due_count: int


def exam_at(session: Session, learner_id: str, exam: str = "AZ-400") -> datetime | None:
    """When the learner's exam is: the booking, else the active plan's exam day (at 09:00 UTC)."""
    booked = [b for b in load_bookings(session, learner_id) if b.exam_code == exam]
    if booked:
        return booked[0].scheduled_at
    plan = active_plan(session, learner_id)
    return datetime.combine(plan.exam_day, time(9), tzinfo=ZoneInfo("UTC")) if plan else None


NEW_CARDS_PER_DAY = 20  # new flashcards enter the queue a day's worth at a time, as in Anki, not 260 at once


def sync_queue(session: Session, *, bank: Bank, learner_id: str, now: datetime) -> int:
    """Queue every flashcard and every item whose latest answer was wrong (once each); returns how many were new.

    A missed item is due at once; new flashcards are introduced NEW_CARDS_PER_DAY a day, in outline order, after
    those already queued (the exam-date rules still bring every card into the final week)."""
    ensure_learner(session, learner_id, now=now)
    known = rows.card_keys(session, learner_id)
    due: dict[str, datetime] = {f"item:{i}": now for i in sorted(missed_items(session, learner_id))}
    queued = sum(1 for k in known if k.startswith("card:"))
    fresh = [c for c in bank.flashcards if f"card:{c.id}" not in known]
    for n, card in enumerate(fresh, start=queued):
        due[f"card:{card.id}"] = now + timedelta(days=n // NEW_CARDS_PER_DAY)
    return rows.add_cards(
        session, learner_id, {k: d for k, d in due.items() if k not in known}, fsrs={}, now=now
    )


def _item_text(item: Item) -> tuple[str, str, str, str]:
    order = tuple((k, tuple(v)) for k, v in _authored_order(item))
    shown = present(item, order)
    revealed = reveal(item, order)
    options = [f"{o['label']}. {o['text']}" for o in shown.get("options", [])]
    front = shown["prompt"] + ("\n\n" + shown["statement"] if "statement" in shown else "")
    front_text = front + ("\n\n" + "\n".join(options) if options else "")
    key = answer_parts(shown, to_labels(item, order, key_response(item)))
    back_text = "Answer: " + "; ".join(key) + "\n\n" + revealed["explanation"]
    front_html = render_markdown(front) + (
        "<ul>" + "".join(f"<li>{_escape(o)}</li>" for o in options) + "</ul>" if options else ""
    )
    back_html = (
        "<p><strong>Answer:</strong></p><ul>"
        + "".join(f"<li>{_escape(k)}</li>" for k in key)
        + "</ul>"
        + render_markdown(revealed["explanation"])
    )
    return front_html, back_html, front_text, back_text


def _authored_order(item: Item) -> list[tuple[str, list[str]]]:
    """Choices in the authored order: a review card is studied, not sat, so there is no order to hide."""
    order: list[tuple[str, list[str]]] = []
    for name in ("options", "values", "targets"):
        values = getattr(item, name, None)
        if values:
            order.append((name, [o.id for o in values]))
    for blank in getattr(item, "blanks", ()):
        order.append((blank.id, [o.id for o in blank.options]))
    return order


def _escape(text: str) -> str:
    return str(escape(text))


def _prompt(bank: Bank, row: ReviewCardRow, due_count: int) -> ReviewPrompt | None:
    kind, _, ref = row.key.partition(":")
    if kind == "card":
        card = next((c for c in bank.flashcards if c.id == ref), None)
        if card is None:
            return None
        return ReviewPrompt(
            row.id,
            "flashcard",
            row.key,
            render_markdown(card.front),
            render_markdown(card.back),
            card.front,
            card.back,
            row.due,
            due_count,
        )
    item = bank.item(ref)
    if item is None:
        return None
    front_html, back_html, front_text, back_text = _item_text(item)
    return ReviewPrompt(
        row.id, "item", row.key, front_html, back_html, front_text, back_text, row.due, due_count
    )


def next_review(
    db: Database, *, learner_id: str, now: datetime, bank: Bank | None = None
) -> ReviewPrompt | None:
    """The card due first (the queue is topped up first), or None when nothing is due."""
    bank = bank or get_bank()
    with db.transaction() as session:
        sync_queue(session, bank=bank, learner_id=learner_id, now=now)
        count = rows.due_count(session, learner_id, now)
        for row in rows.cards(session, learner_id):
            if row.due > now:
                break
            prompt = _prompt(bank, row, count)
            if prompt is not None:
                return prompt
    return None


def grade_review(
    db: Database, *, learner_id: str, card_id: int, grade: object, now: datetime, bank: Bank | None = None
) -> ReviewResult:
    """Record a review (1 again, 2 hard, 3 good, 4 easy) and schedule the card's next one."""
    value = check_grade(grade)
    with db.transaction() as session:
        row = rows.card_row(session, learner_id, card_id, lock=True)
        at = exam_at(session, learner_id)
        state = rows.to_state(row) if row.fsrs else new_card(row.id, now, exam_at=at)
        outcome = review(state, value, now, exam_at=at, retention=rows.retention(session, learner_id))
        _store(row, outcome.state)
        rows.add_log(session, row, value, now, outcome.log)
        session.flush()
        count = rows.due_count(session, learner_id, now)
    return ReviewResult(card_id, value, outcome.state.due, outcome.clamped, count)


def _store(row: ReviewCardRow, state: CardState) -> None:
    row.fsrs = dict(state.fsrs)
    row.due = state.due
    row.reps = state.reps
    row.last_review = state.last_review


def set_retention(db: Database, *, learner_id: str, retention: float, now: datetime) -> float:
    """The desired retention of the learner's reviews (0.70-0.97); applies from the next review."""
    value = check_retention(retention)
    with db.transaction() as session:
        ensure_learner(session, learner_id, now=now)
        rows.save_retention(session, learner_id, value)
    return value


def export_anki(db: Database, *, learner_id: str, path: Path, now: datetime, bank: Bank | None = None) -> int:
    """An Anki package of the flashcards and the items the learner got wrong; returns the number of notes."""
    bank = bank or get_bank()
    if path.suffix != ".apkg":
        raise InvalidInput(f"{path.name}: an Anki package ends in .apkg", field="path")
    with db.transaction() as session:
        missed = sorted(missed_items(session, learner_id))
    notes = [
        AnkiNote(
            f"card:{c.id}", render_markdown(c.front), render_markdown(c.back), ("flashcard", c.objective)
        )
        for c in bank.flashcards
    ]
    for item_id in missed:
        item = bank.item(item_id)
        if item is not None:
            front, back, _, _ = _item_text(item)
            notes.append(AnkiNote(f"item:{item_id}", front, back, ("missed", item.meta.objective)))
    return anki_package(notes, path)


__all__ = ["SESSION_SIZE", "ReviewPrompt", "ReviewResult", "grade_review", "next_review", "set_retention"]

"""The terminal exam, practice set and adaptive session in process: scripted keystrokes in, the screen read back,
the database checked (a real SQLite file in a fresh data folder)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from certprep.config import load_settings
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.content import get_bank, get_catalog
from certprep.services.database import Database, open_database
from tests.cli.conftest import Learner
from tests.factories import key_answer


def database() -> Database:
    return open_database(load_settings(), migrate=True)


def attempt_id(out: str) -> str:
    m = re.search(r"--resume ([0-9a-f]{16})", out) or re.search(r"(?:report|exam) ([0-9a-f]{16})", out)
    assert m, out
    return m.group(1)


def view(aid: str) -> svc.AttemptView:
    db = database()
    try:
        return svc.view_attempt(db, learner_id="local", attempt_id=aid, now=datetime.now(UTC))
    finally:
        db.dispose()


def after_last_item(out: str) -> str:
    """What the screen shows under the last drawing of an item (where notes are kept)."""
    return out[out.rindex("Item ") :]


def test_malformed_commands_keep_the_exam_running_with_the_error_under_the_item(learner: Learner) -> None:
    learner.types(":gx", ":g", ":zz", ":g 999", ":q")
    code, out, err = learner.run("exam", "--seed", "3")
    assert code == 0 and err == "" and "Traceback" not in out
    assert "':gx': write :g and an item number as shown, e.g. :g 3" in out
    assert "unknown command ':zz': type :h for the list of commands" in out
    assert "there is no item 999 in this section" in after_last_item(out)
    assert out.count("Item 1 of 50") == 5  # drawn again after each error, the error kept under it
    aid = attempt_id(out)
    assert f"Saved. Attempt {aid} continues (its clock too): certprep exam --resume {aid}" in out
    assert view(aid).attempt.status == "in-progress"


def test_two_answers_on_a_single_answer_item_are_refused_and_nothing_is_recorded(learner: Learner) -> None:
    learner.types("A B", ":q")
    code, out, _ = learner.run("practice", "--type", "single", "--count", "2", "--seed", "1")
    assert code == 0
    assert "this item takes one answer: type one letter, e.g. A" in after_last_item(out)
    assert not any(e.answered for e in view(attempt_id(out)).entries)


def test_help_lists_every_command_and_a_footer_sits_under_each_item(learner: Learner) -> None:
    learner.types(":h", ":q")
    _, out, _ = learner.run("exam", "--seed", "4")
    help_screen = after_last_item(out)
    for typed in (":n", ":p", ":g N", ":m", ":r", ":l", ":s", ":q", ":h"):
        assert typed in help_screen
    assert "numbered from 1, as shown" in help_screen and "Ctrl-C saves and leaves like :q" in help_screen
    footer = ":n next · :p back · :g N go to item N · :m mark · :r review · :l leave section · :s submit"
    assert out.count(footer) == 2


def test_go_to_numbers_items_from_one_as_shown_and_review_agrees(learner: Learner) -> None:
    learner.types(":g 3", ":m", ":r", ":g 0", ":q")
    _, out, _ = learner.run("exam", "--seed", "5")
    assert "Item 3 of 50" in out and "item 3 marked for review" in out
    review = out[out.index("Review: section 1") :]
    row = next(line for line in review.splitlines() if re.match(r"│ 3\s+│", line))
    assert row.count("yes") == 1  # item 3, as numbered on screen, is the marked one
    assert "there is no item 0 in this section: items 1 to" in after_last_item(out)
    entries = view(attempt_id(out)).entries
    assert [e.position for e in entries if e.marked] == [2]  # the API's position counts from 0


def test_ctrl_c_saves_and_leaves_like_quit(learner: Learner) -> None:
    learner.types("A", KeyboardInterrupt())
    code, out, err = learner.run("practice", "--type", "single", "--count", "3", "--seed", "2")
    aid = attempt_id(out)
    assert code == 0 and err == "" and "Traceback" not in out
    assert f"Saved. Attempt {aid} continues: certprep practice --resume {aid}" in out
    state = view(aid)
    assert state.attempt.status == "in-progress" and sum(e.answered for e in state.entries) == 1


def test_end_of_input_saves_and_leaves_too(learner: Learner) -> None:
    learner.types()
    code, out, _ = learner.run("exam", "--seed", "6")
    assert code == 0 and "Saved. Attempt" in out


def test_resume_starts_at_the_first_unanswered_item(learner: Learner) -> None:
    db = database()
    catalog, bank, now = get_catalog(), get_bank(), datetime.now(UTC)
    aid = forms.start_exam(db, catalog=catalog, learner_id="local", now=now, seed=7).attempt.id
    for position in (0, 1, 3):
        item = svc.view_item(
            db, catalog=catalog, learner_id="local", attempt_id=aid, position=position, now=now, bank=bank
        )
        answer = key_answer(bank.item(_item_id(db, aid, position)), item.shown)  # type: ignore[arg-type]
        svc.answer_item(
            db,
            catalog=catalog,
            learner_id="local",
            attempt_id=aid,
            position=position,
            response=answer,
            request_id=None,
            now=now,
            bank=bank,
        )
    db.dispose()
    learner.types(":q")
    code, out, _ = learner.run("exam", "--resume", aid)
    assert code == 0 and "Item 3 of 50" in out and "Item 1 of 50" not in out


def _item_id(db: Database, aid: str, position: int) -> str:
    from certprep.db import attempts as rows

    with db.transaction() as session:
        return str(rows.form_row(session, aid, position).item_id)


def test_practice_ends_after_the_last_item_with_the_report(learner: Learner) -> None:
    learner.types(
        "A", "", "B", ""
    )  # answer, continue, answer the last, Enter accepts "submit and see the report"
    code, out, _ = learner.run("practice", "--type", "single", "--count", "2", "--seed", "8")
    assert code == 0 and "Every item is answered. Submit the set and see your report? [Y/n]" in out
    assert "Score report · practice" in out and "The item review: certprep report" in out
    aid = re.search(r"Score report · practice ([0-9a-f]{16})", out).group(1)  # type: ignore[union-attr]
    assert view(aid).attempt.status == "submitted"


def test_declining_the_submit_after_the_last_item_keeps_the_set_open(learner: Learner) -> None:
    learner.types("A", "n", ":q")
    code, out, _ = learner.run("practice", "--type", "single", "--count", "1", "--seed", "8")
    assert code == 0 and "not submitted: type :s when you are ready" in after_last_item(out)
    assert view(attempt_id(out)).attempt.status == "in-progress"


def test_adaptive_items_have_no_total(learner: Learner) -> None:
    learner.types("", ":g 2", "1=A", "", ":q")  # the first item at ability 0 is a drag and drop
    code, out, _ = learner.run("practice", "--adaptive", "--max-items", "5", "--seed", "1")
    assert code == 0
    assert "Item 1 · adaptive: stops when the estimate is precise, at most 5" in out
    assert "Item 2 · adaptive" in out and not re.search(r"Item \d+ of", out)
    assert "only :h and :q work here" in out and "answer the item to go on" in out
    aid = attempt_id(out)
    assert f"certprep practice --resume {aid}" in out
    learner.types(":q")
    _, out, _ = learner.run("practice", "--resume", aid)
    assert "Item 2 · adaptive: stops when the estimate is precise ·" in out


def test_adaptive_session_runs_to_its_end_and_report(learner: Learner) -> None:
    code, out, _ = learner.answers(20).run("practice", "--adaptive", "--max-items", "5", "--seed", "2")
    assert code == 0 and "Session ended after 5 items: the item limit was reached." in out
    assert "Score report · adaptive" in out and "Item 5 · adaptive" in out


def test_hot_area_blanks_read_as_numbered_gaps_then_the_choice(learner: Learner) -> None:
    learner.types("1=A", ":q")
    _, out, _ = learner.run(
        "practice", "--type", "hot-area", "--count", "2", "--seed", "3", "--no-case-studies"
    )
    first = out[: out.index("recorded")]
    assert "[[blank:" not in out and "[1: ____]" in first and "[2: ____]" in first
    assert re.search(r"^  blank 1: A\. .+ \| B\. ", first, re.M) and "pairs blank=choice: e.g. 1=A" in first
    assert re.search(r"item 1 recorded: Blank 1: A\. ", out)
    assert re.search(
        r"key: Blank 1: [A-C]\. .+; Blank 2: [A-C]\. ", out
    )  # the feedback names blanks by number
    assert re.search(r"^  blank 2: [A-C]\. ", out[out.index("key: Blank") :], re.M)


def test_practice_type_essay_is_an_unknown_item_type(learner: Learner) -> None:
    code, out, err = learner.run("practice", "--type", "essay")
    assert code == 1 and out == ""
    assert err.startswith(
        "error: unknown item type 'essay'; choose one of: single, multiple, build-list, drag-drop, hot-area, yes-no"
    )


def test_a_mock_exam_from_first_item_through_a_section_change_to_its_report(learner: Learner) -> None:
    learner.types(":p", None, ":g 1", ":m", ":l", "n", ":l", "y", ":s", "n", ":s", "y")
    code, out, _ = learner.run("exam", "--seed", "9")
    assert code == 0
    assert "this is the first item of the section" in out and "item 1 recorded: " in out
    assert "Item 2 of 50" in out and "item 1 marked for review" in out
    assert re.search(r"Leave this section\? \d+ unanswered; you cannot come back\. \[y/N\]", out)
    assert "still in this section" in out
    second = re.findall(r"Item (\d+) of 50 · ", out)[-1]
    assert (
        int(second) > 1 and "Submit the attempt now? 49 unanswered. [y/N]" in out and "not submitted" in out
    )
    assert (
        "Score report · exam" in out and "scaled score" in out and "The item review: certprep report" in out
    )


def test_time_running_out_mid_exam_ends_it_with_the_report(
    learner: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from certprep.cli import context

    late = timedelta(0)
    monkeypatch.setattr(context, "now", lambda: datetime.now(UTC) + late)

    def wait_three_hours() -> str:
        nonlocal late
        late = timedelta(hours=3)  # the clock is the edge: the learner stares at item 2 for three hours
        return ""

    learner.types(None, wait_three_hours)
    code, out, _ = learner.run("exam", "--seed", "10")
    assert code == 0 and "item 1 recorded" in out
    assert "Time is up: the attempt was submitted with the answers recorded." in out
    assert "Score report · exam" in out and "time ran out" in out

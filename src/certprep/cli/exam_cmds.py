"""`certprep exam`, `certprep practice`, `certprep attempts`, `certprep report`, `certprep discard`.

The interactive loops live in `cli/terminal_exam.py` (mock exams and practice sets) and `cli/adaptive_session.py`;
the score report's printing in `cli/report_view.py`. Answers are typed as shown: `B`, `A D`, `C A B`, `1=B 2=A`,
`y`/`n`; commands start with a colon (`:h` lists them). Items are numbered from 1 as shown; the JSON API's
`position` counts from 0 (item 1 is position 0).
"""

from __future__ import annotations

import json

import typer
from rich.table import Table

from certprep.cli import context
from certprep.cli.adaptive_session import run_adaptive
from certprep.cli.report_view import print_report
from certprep.cli.terminal_exam import clock, console, run_attempt
from certprep.domain.profile import exam_language
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.adaptive import start_adaptive

app = typer.Typer()


def resume_attempt(attempt_id: str) -> None:
    """Continue an attempt in progress where it stopped (an adaptive session in its own loop); a submitted one
    shows its report."""
    db = context.database()
    view = svc.view_attempt(
        db, learner_id=context.LEARNER, attempt_id=attempt_id, now=context.now(), catalog=context.catalog()
    )
    if view.attempt.mode == "adaptive" and view.attempt.status == "in-progress":
        run_adaptive(attempt_id, db)
    else:
        run_attempt(attempt_id, db)


def exam(
    items: int = typer.Option(None, "--items", help="Scored items (40-60; default from the exam's data)."),
    language: str = typer.Option(
        None, "--language", help="Exam language (default: your booked exam's, else en)."
    ),
    seed: int = typer.Option(None, "--seed", help="Reproducible form."),
    resume: str = typer.Option(
        None, "--resume", help="Continue an attempt by id, at its first unanswered item."
    ),
) -> None:
    """Sit a mock exam in the terminal: sections, timer, mark and review, then the score report.

    Type :h during the exam for the commands; items are numbered from 1 as shown (`:g 3` goes to item 3).
    """
    if resume:
        resume_attempt(resume)
        return
    if language is not None:
        language = exam_language(language, field="--language")
    db = context.database()
    view = forms.start_exam(
        db,
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        now=context.now(),
        items=items,
        language=language,
        seed=seed,
        bank=context.bank(),
    )
    console.print(
        f"Mock exam {view.attempt.id}: {len(view.entries)} items in {len(view.attempt.sections)} sections, "
        f"{clock(view.seconds_left)}. Leaving a section locks it. Type :h for the commands, :r to review, "
        "Ctrl-C or :q to save and leave.",
        markup=False,
    )
    run_attempt(view.attempt.id, db)


def practice(
    group: list[str] = typer.Option([], "--group", help="Functional group id (repeat)."),
    objective: list[str] = typer.Option([], "--objective", help="Objective id (repeat)."),
    kind: list[str] = typer.Option(
        [], "--type", help="Item type (repeat): single, multiple, build-list, drag-drop, hot-area, yes-no."
    ),
    count: int = typer.Option(10, "--count"),
    missed: bool = typer.Option(False, "--missed", help="Only items you missed before."),
    not_seen_in_last: int = typer.Option(0, "--not-seen-in-last", help="Skip items of your last N sets."),
    no_case_studies: bool = typer.Option(False, "--no-case-studies"),
    minutes: int = typer.Option(None, "--minutes", help="Time the set (default untimed)."),
    seed: int = typer.Option(None, "--seed"),
    adaptive: bool = typer.Option(
        False, "--adaptive", help="Choose each item by information at your ability."
    ),
    max_items: int = typer.Option(30, "--max-items", help="Adaptive: stop after this many items."),
    se: float = typer.Option(0.3, "--se", help="Adaptive: stop when the standard error is this small."),
    resume: str = typer.Option(None, "--resume", help="Continue a practice set or adaptive session by id."),
) -> None:
    """Practise by group, objective or type with immediate feedback (or adaptively, with --adaptive)."""
    if resume:
        resume_attempt(resume)
        return
    if adaptive:
        db = context.database()
        view = start_adaptive(
            db,
            catalog=context.catalog(),
            learner_id=context.LEARNER,
            now=context.now(),
            max_items=max_items,
            max_se=se,
            seed=seed,
            bank=context.bank(),
        )
        run_adaptive(view.attempt.id, db, max_items=max_items)
        return
    choice = forms.PracticeFilter(
        tuple(group), tuple(objective), tuple(kind), count, missed, not_seen_in_last, no_case_studies, minutes
    )
    db = context.database()
    view = forms.start_practice(
        db,
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        now=context.now(),
        choice=choice,
        seed=seed,
        bank=context.bank(),
    )
    run_attempt(view.attempt.id, db)


def attempts(as_json: bool = typer.Option(False, "--json")) -> None:
    """Your attempts with their results and the trend of mock-exam scores."""
    lines = svc.list_attempts(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        now=context.now(),
        bank=context.bank(),
    )
    if as_json:
        from certprep.domain.plain import to_plain

        typer.echo(json.dumps({"attempts": to_plain(lines), "trend": svc.exam_trend(lines)}, indent=2))
        return
    table = Table(title="Attempts")
    for col in ("Id", "Mode", "Started", "Status", "Answered", "Score", "Result"):
        table.add_column(col)
    for h in lines:
        result = "" if h.passed is None else ("pass" if h.passed else "fail")
        status = h.status + (", time ran out" if h.expired else "")
        table.add_row(
            h.attempt_id,
            h.mode,
            h.started_at.strftime("%Y-%m-%d %H:%M"),
            status + ("" if h.in_trend or h.mode != "exam" or h.status != "submitted" else " (not in trend)"),
            f"{h.answered}/{h.items}",
            score_text(h),
            result,
        )
    console.print(table)
    trend = svc.exam_trend(lines)
    if trend:
        console.print("Trend: " + " -> ".join(str(s) for _, s in trend))


def score_text(h: svc.HistoryLine) -> str:
    """A mock exam's scaled score; a practice set's points and percentage; nothing while in progress."""
    if h.scaled is not None:
        return str(h.scaled)
    if h.points is not None and h.max_points:
        return f"{h.points}/{h.max_points} ({h.points / h.max_points:.0%})"
    return ""


def discard(
    attempt_id: str = typer.Argument(..., help="The attempt to discard (see `certprep attempts`)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Discard an attempt still in progress: it leaves the history and its answers stop counting as evidence."""
    if not yes and console.input(f"Discard attempt {attempt_id} for good? \\[y/N] ").strip().lower() != "y":
        console.print("Nothing discarded.")
        raise typer.Exit(1)
    line = svc.discard_attempt(
        context.database(), learner_id=context.LEARNER, attempt_id=attempt_id, now=context.now()
    )
    console.print(
        f"Discarded {line.mode} attempt {line.attempt_id} ({line.answered} answers dropped).", markup=False
    )


def report(
    attempt_id: str = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json"),
    summary: bool = typer.Option(False, "--summary", help="Leave out the item review."),
) -> None:
    """Print the score report of a submitted attempt, with the review of every item (numbered from 1)."""
    content = svc.get_report(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        attempt_id=attempt_id,
        now=context.now(),
        bank=context.bank(),
    )
    if as_json:
        typer.echo(content.model_dump_json(indent=2))
    else:
        print_report(console, content, review=not summary)

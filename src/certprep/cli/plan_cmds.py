"""`certprep plan`, `today`, `review` and `export anki`: the study plan, today's agenda, the review session in the
terminal and the Anki deck (the same services as /plan, /review and /api/v1/plan)."""

from __future__ import annotations

import calendar
import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from certprep.cli import context
from certprep.cli.text import clean, first_line, safe
from certprep.domain.plain import to_plain
from certprep.errors import InvalidInput
from certprep.services import planning, reviews

export_app = typer.Typer(help="Export to other tools.", no_args_is_help=True)
NAMES = {
    "read": "read the sources",
    "practice": "practice set",
    "lab": "hands-on lab",
    "flashcards": "flashcards",
    "mock-exam": "mock exam",
    "review": "reviews",
    "prerequisite": "associate prerequisite",
    "rest": "rest",
}


def _hours(value: str | None) -> list[float] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 1:
        parts = parts * 7
    try:
        return [float(p) for p in parts]
    except ValueError:
        raise InvalidInput(
            f"--hours {value!r}: give one number, or 7 separated by commas (Monday first)", field="--hours"
        ) from None


def _scores(value: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in value.split(","):
        group, sep, pct = part.partition("=")
        try:
            out[group.strip()] = float(pct)
        except ValueError:
            raise InvalidInput(
                f"--retake {part.strip()!r}: write group=percent pairs, e.g. processes=55,pipelines=62",
                field="--retake",
            ) from None
        if not sep:
            raise InvalidInput(f"--retake {part.strip()!r}: write group=percent", field="--retake")
    return out


def _show(view: planning.PlanView) -> None:
    console = Console()
    p = view.plan
    today = context.now().date()
    console.print(
        f"{'Retake plan' if view.kind == 'retake' else 'Plan'} for {view.goal}: exam on {p.exam_day} "
        f"({(p.exam_day - today).days} days left); {p.hours_needed:.1f} h needed, {p.hours_available:.1f} h "
        "available.",
        markup=False,
    )
    if not p.realistic:
        console.print(f"Not realistic with these hours: {clean(p.advice)}", markup=False, style="bold red")
    table = Table(title="Study blocks")
    for col in ("Day", "Block", "What", "Hours", "Done"):
        table.add_column(col)
    for b in p.blocks:
        code, text = view.objectives.get(b.objective or "", ("", ""))
        table.add_row(
            f"{b.day:%a %Y-%m-%d}",
            b.id,
            safe(f"{NAMES.get(b.activity, b.activity)} {code} {first_line(text, 60)}".strip()),
            f"{b.hours:g}",
            "yes" if b.id in view.done else "",
        )
    console.print(table)
    _grid(console, view)


def _grid(console: Console, view: planning.PlanView) -> None:
    """A calendar-style grid per month: hours planned each day, X on the exam day."""
    hours: dict[date, float] = {}
    for b in view.plan.blocks:
        hours[b.day] = hours.get(b.day, 0.0) + b.hours
    year, month = view.plan.start.year, view.plan.start.month
    while (year, month) <= (view.plan.exam_day.year, view.plan.exam_day.month):
        grid = Table(title=date(year, month, 1).strftime("%B %Y"), show_lines=False)
        for name in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"):
            grid.add_column(name, justify="right")
        for week in calendar.Calendar().monthdatescalendar(year, month):
            cells = []
            for d in week:
                if d.month != month:
                    cells.append("")
                elif d == view.plan.exam_day:
                    cells.append(f"{d.day} EXAM")
                else:
                    cells.append(f"{d.day} {hours[d]:g}h" if d in hours else str(d.day))
            grid.add_row(*cells)
        console.print(grid)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def plan(
    preset: str = typer.Option(
        None, "--preset", help="intensive (7-14 days), balanced (30) or comprehensive (60)."
    ),
    exam_date: str = typer.Option(None, "--exam-date", help="YYYY-MM-DD (default: your booked exam)."),
    hours: str = typer.Option(None, "--hours", help="Hours per day: one number, or 7 (Monday first)."),
    day_off: list[str] = typer.Option([], "--day-off", help="A day without study, YYYY-MM-DD (repeatable)."),
    replan: bool = typer.Option(
        False, "--replan", help="Keep what was done; spread the rest over the days left."
    ),
    retake: str = typer.Option(
        None, "--retake", help="Retake coach: your score report's bars, group=percent,..."
    ),
    done: str = typer.Option(None, "--done", help="Mark a block done (its id, as listed)."),
    ics: Path = typer.Option(
        None, "--ics", help="Write the calendar (blocks, exam, retake, renewals) to FILE."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the same as GET /api/v1/plan)."),
) -> None:
    """Your study plan to the exam date: make it, re-plan it, mark blocks done, export the calendar."""
    db, catalog, bank, now = context.database(), context.catalog(), context.bank(), context.now()
    pack_dir, who = context.settings().pack_dir, context.LEARNER
    view: planning.PlanView | None
    if retake:
        view = planning.retake_plan(
            db,
            catalog=catalog,
            learner_id=who,
            now=now,
            group_scores=_scores(retake),
            weekday_hours=_hours(hours),
            bank=bank,
            pack_dir=pack_dir,
        )
    elif replan:
        view = planning.replan_plan(
            db, catalog=catalog, learner_id=who, now=now, bank=bank, pack_dir=pack_dir
        )
    elif preset or exam_date or hours or day_off:
        view = planning.make_plan(
            db,
            catalog=catalog,
            learner_id=who,
            now=now,
            preset=preset,
            exam_day=context.parse_day(exam_date, "--exam-date"),
            weekday_hours=_hours(hours),
            days_off=[d for d in (context.parse_day(x, "--day-off") for x in day_off) if d],
            bank=bank,
            pack_dir=pack_dir,
        )
    elif done:
        view = planning.mark_block(
            db, catalog=catalog, learner_id=who, block_id=done, done=True, now=now, bank=bank
        )
    else:
        view = planning.current_plan(db, catalog=catalog, learner_id=who, bank=bank)
    if ics:
        ics.write_bytes(
            planning.plan_calendar(db, catalog=catalog, learner_id=context.LEARNER, now=now, bank=bank)
        )
        typer.echo(f"calendar written to {ics}")
        return
    if view is None:
        raise InvalidInput(
            "no plan yet: certprep plan --preset balanced (or --exam-date YYYY-MM-DD)", field="plan"
        )
    if as_json:
        typer.echo(
            json.dumps(to_plain(view.plan) | {"plan_id": view.plan_id, "done": sorted(view.done)}, indent=2)
        )
        return
    _show(view)


def today() -> None:
    """Today's blocks, the reviews due, your streak and the days left."""
    t = planning.today_view(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        now=context.now(),
        bank=context.bank(),
    )
    console = Console()
    left = (
        f"{t.days_left} days to the exam"
        if t.days_left is not None
        else "no plan yet (certprep plan --preset ...)"
    )
    console.print(
        f"{t.day:%A %Y-%m-%d}: {left}; streak {t.streak} day{'s' if t.streak != 1 else ''}; "
        f"{t.reviews_due} review{'s' if t.reviews_due != 1 else ''} due (certprep review).",
        markup=False,
    )
    for b in t.blocks:
        code, text = t.plan.objectives.get(b.objective or "", ("", "")) if t.plan else ("", "")
        mark = "[x]" if b.id in t.done else "[ ]"
        console.print(
            f"{mark} {b.id}  {NAMES.get(b.activity, b.activity)} {code} {first_line(text, 70)} ({b.hours:g} h)",
            markup=False,
        )
        if b.activity == "lab" and t.plan:
            for lab_id, title in t.plan.labs.get(b.objective or "", ())[:2]:
                console.print(f"      certprep lab start {lab_id}  ({clean(title)})", markup=False)
    if not t.blocks and t.plan:
        console.print("Nothing planned today: a rest day.", markup=False)


def review(
    retention: float = typer.Option(None, "--retention", help="Desired retention, 0.70-0.97 (default 0.90)."),
    limit: int = typer.Option(reviews.SESSION_SIZE, "--limit", min=1, max=500, help="Cards this session."),
) -> None:
    """A review session: each card's front, Enter to see the answer, then 1 again, 2 hard, 3 good, 4 easy; q stops."""
    db, bank = context.database(), context.bank()
    if retention is not None:
        reviews.set_retention(db, learner_id=context.LEARNER, retention=retention, now=context.now())
    done = 0
    while done < limit:
        prompt = reviews.next_review(db, learner_id=context.LEARNER, now=context.now(), bank=bank)
        if prompt is None:
            typer.echo("Nothing is due now.")
            break
        typer.echo(
            f"\n[{prompt.due_count} due] {'Flashcard' if prompt.kind == 'flashcard' else 'Missed item'}\n"
        )
        typer.echo(clean(prompt.front_text))
        if _ask("\nEnter shows the answer (q stops): ") == "q":
            break
        typer.echo("\n" + clean(prompt.back_text))
        grade = ""
        while grade not in ("1", "2", "3", "4", "q"):
            grade = _ask("1 again, 2 hard, 3 good, 4 easy (q stops): ")
        if grade == "q":
            break
        result = reviews.grade_review(
            db,
            learner_id=context.LEARNER,
            card_id=prompt.card_id,
            grade=int(grade),
            now=context.now(),
            bank=bank,
        )
        typer.echo(
            f"next review {result.next_due:%Y-%m-%d}"
            + (f" ({result.clamped} rule)" if result.clamped else "")
        )
        done += 1
    typer.echo(f"{done} card{'s' if done != 1 else ''} reviewed.")


def _ask(question: str) -> str:
    try:
        return input(question).strip().lower()
    except (EOFError, KeyboardInterrupt):
        return "q"


@export_app.command("anki")
def export_anki(path: Path = typer.Argument(..., help="The .apkg file to write.")) -> None:
    """An Anki deck of the flashcards and the items you got wrong."""
    n = reviews.export_anki(
        context.database(), learner_id=context.LEARNER, path=path, now=context.now(), bank=context.bank()
    )
    typer.echo(f"{n} notes written to {path}")

"""`certprep exam`, `certprep practice`, `certprep attempts`, `certprep report`: the terminal experience.

Answers are typed as shown: `B`, `A D`, `C A B`, `1=B 2=A`, `b1=A b2=C`, `y`/`n`. Commands start with a colon:
`:n` next, `:p` previous, `:g N` go to item N, `:m` mark for review, `:r` review screen, `:l` leave the section,
`:s` submit, `:q` quit (the attempt and its clock go on; `certprep exam --resume ID` continues it).
"""

from __future__ import annotations

import json
import re
from typing import Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from certprep.cli import context
from certprep.domain.readiness import READINESS_VS_EXAM, readiness_sentence
from certprep.domain.report import is_scaled
from certprep.errors import CertprepError, InvalidInput, PolicyViolation
from certprep.services import attempts as svc
from certprep.services import forms
from certprep.services.adaptive import next_adaptive_item, start_adaptive
from certprep.services.database import Database

app = typer.Typer()
console = Console(highlight=False)


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return "untimed"
    return f"{seconds // 60}:{seconds % 60:02d} left"


def _parse(shown: dict[str, Any], text: str) -> Any:
    """Keyboard text -> a response in display labels for the item's type."""
    words = [w for w in re.split(r"[\s,;]+", text.strip()) if w]
    kind = shown["type"]
    if kind == "single":
        return words[0] if words else ""
    if kind in ("multiple", "build-list"):
        return words
    if kind in ("drag-drop", "hot-area"):
        pairs = {}
        for w in words:
            if "=" not in w:
                raise InvalidInput(
                    f"{w!r}: write pairs like {'1=B' if kind == 'drag-drop' else 'b1=A'}", field="response"
                )
            k, v = w.split("=", 1)
            pairs[k] = v
        return pairs
    answer = words[0].lower() if words else ""
    return {"y": "yes", "n": "no"}.get(answer, answer)


def _show_item(view: svc.ItemView, total: int, section_title: str) -> None:
    s = view.shown
    head = f"Item {view.position + 1} of {total} · {section_title} · {_clock(view.seconds_left)}"
    head += " · marked" if view.marked else ""
    head += " · locked" if view.locked else ""
    console.rule(head)
    if view.case_study:
        for tab in view.case_study["tabs"]:
            console.print(Panel(Markdown(tab["body"]), title=f"{view.case_study['title']}: {tab['title']}"))
    console.print(Markdown(s["prompt"]))
    if s["type"] == "yes-no":
        console.print(Panel(s["statement"], title="Does the solution meet the goal? (y/n)"))
    for key in ("options", "values"):
        for o in s.get(key, []):
            console.print(f"  {o['label']}. {o['text']}", markup=False)
    for t in s.get("targets", []):
        console.print(f"  target {t['label']}: {t['text']}", markup=False)
    for b in s.get("blanks", []):
        console.print(
            f"  {b['id']}: " + " | ".join(f"{o['label']}. {o['text']}" for o in b["options"]), markup=False
        )
    hint = {
        "multiple": f"choose {s.get('choose')}: e.g. A D",
        "build-list": f"place {s.get('place')} in order: e.g. C A B",
        "drag-drop": "pairs target=value: e.g. 1=B 2=A",
        "hot-area": "pairs blank=choice: e.g. b1=A",
    }.get(s["type"], "")
    if hint:
        console.print(f"[dim]{hint}[/]")
    if view.answer is not None:
        console.print(f"Your answer: {view.answer}", markup=False)
    if view.feedback:
        _show_feedback(view.feedback)


def _show_feedback(fb: dict[str, Any]) -> None:
    verdict = (
        "[green]correct[/]" if fb.get("correct") else f"[yellow]{fb['points']}/{fb['max_points']} points[/]"
    )
    console.print(f"{verdict} · key: {fb['key']}")
    for c in fb.get("choices", []):
        console.print(f"  {c['label']}. {c['explanation']}", markup=False)
    if fb.get("explanation"):
        console.print(fb["explanation"], markup=False)
    for src in fb.get("sources", []):
        console.print(f"  source: {src['url']}", markup=False)


def _review(view: svc.AttemptView) -> None:
    table = Table(title=f"Review: section {view.attempt.current_section + 1} · {_clock(view.seconds_left)}")
    for col in ("Item", "Type", "Answered", "Marked", "Locked"):
        table.add_column(col)
    for e in view.current:
        table.add_row(
            str(e.position + 1),
            e.type,
            "yes" if e.answered else "[red]no[/]",
            "yes" if e.marked else "",
            "yes" if e.locked else "",
        )
    console.print(table)


def run_attempt(attempt_id: str, db: Database | None = None) -> None:
    """The interactive loop over one attempt, until it is submitted or the learner quits."""
    db = db or context.database()
    catalog, who = context.catalog(), context.LEARNER
    view = svc.view_attempt(
        db, learner_id=who, attempt_id=attempt_id, now=context.now(), catalog=catalog, bank=context.bank()
    )
    position = view.current[0].position if view.current else 0
    while view.attempt.status == "in-progress":
        section = view.attempt.sections[view.attempt.current_section]
        try:
            item = svc.view_item(
                db,
                catalog=catalog,
                learner_id=who,
                attempt_id=attempt_id,
                position=position,
                now=context.now(),
                bank=context.bank(),
            )
            _show_item(item, len(view.entries), section.title)
            text = console.input("> ").strip()
            position = _act(text, item, view, position, db)
        except (InvalidInput, PolicyViolation) as exc:
            console.print(f"[red]{exc.message}[/]")
        except _Quit:
            console.print(
                f"Attempt {attempt_id} continues (its clock too): certprep exam --resume {attempt_id}"
            )
            return
        view = svc.view_attempt(
            db, learner_id=who, attempt_id=attempt_id, now=context.now(), catalog=catalog, bank=context.bank()
        )
        current = [e.position for e in view.current]
        if current and position not in current:
            position = current[0]
    _print_report(
        svc.get_report(
            db, catalog=catalog, learner_id=who, attempt_id=attempt_id, now=context.now(), bank=context.bank()
        )
    )


class _Quit(Exception):
    pass


def _act(text: str, item: svc.ItemView, view: svc.AttemptView, position: int, db: Database) -> int:
    catalog, who, aid = context.catalog(), context.LEARNER, view.attempt.id
    current = [e.position for e in view.current]
    here = current.index(position) if position in current else 0
    if text in ("", ":n"):
        return current[min(here + 1, len(current) - 1)]
    if text == ":p":
        return current[max(here - 1, 0)]
    if text.startswith(":g"):
        target = int(text[2:].strip() or 0) - 1
        if target not in current:
            raise InvalidInput(
                f"item {target + 1} is not in this section ({current[0] + 1}-{current[-1] + 1})"
            )
        return target
    if text == ":m":
        svc.mark_item(
            db,
            catalog=catalog,
            learner_id=who,
            attempt_id=aid,
            position=position,
            marked=not item.marked,
            now=context.now(),
            bank=context.bank(),
        )
        return position
    if text == ":r":
        _review(view)
        return position
    if text == ":l":
        unanswered = sum(1 for e in view.current if not e.answered)
        if (
            console.input(f"Leave this section? {unanswered} unanswered; you cannot come back. \\[y/N] ")
            .strip()
            .lower()
            == "y"
        ):
            svc.leave_section(
                db,
                catalog=catalog,
                learner_id=who,
                attempt_id=aid,
                confirm=True,
                now=context.now(),
                bank=context.bank(),
            )
        return position
    if text == ":s":
        if console.input("Submit the attempt now? \\[y/N] ").strip().lower() == "y":
            svc.submit_attempt(
                db, catalog=catalog, learner_id=who, attempt_id=aid, now=context.now(), bank=context.bank()
            )
        return position
    if text == ":q":
        raise _Quit
    ack = svc.answer_item(
        db,
        catalog=catalog,
        learner_id=who,
        attempt_id=aid,
        position=position,
        response=_parse(item.shown, text),
        request_id=None,
        now=context.now(),
        bank=context.bank(),
    )
    console.print("[green]recorded[/]")
    if ack.feedback:
        _show_feedback(ack.feedback)
        console.input("(enter to continue) ")
    return (
        current[min(here + 1, len(current) - 1)]
        if view.attempt.mode != "practice" or ack.feedback
        else position
    )


def exam(
    items: int = typer.Option(None, "--items", help="Scored items (40-60; default from the exam's data)."),
    minutes: int = typer.Option(None, "--minutes", help="Time limit (default from the exam's data)."),
    extension: int = typer.Option(0, "--extension", help="Extra minutes (accommodation)."),
    language: str = typer.Option(
        None, "--language", help="Exam language (default: your booked exam's, else en)."
    ),
    seed: int = typer.Option(None, "--seed", help="Reproducible form."),
    resume: str = typer.Option(None, "--resume", help="Continue an attempt by id."),
) -> None:
    """Sit a mock exam in the terminal: sections, timer, mark and review, then the score report."""
    if resume:
        run_attempt(resume)
        return
    db = context.database()
    view = forms.start_exam(
        db,
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        now=context.now(),
        items=items,
        minutes=minutes,
        extension_minutes=extension,
        language=language,
        seed=seed,
        bank=context.bank(),
    )
    console.print(
        f"Mock exam {view.attempt.id}: {len(view.entries)} items in {len(view.attempt.sections)} sections, "
        f"{_clock(view.seconds_left)}. Leaving a section locks it. Type :r to review, :s to submit."
    )
    run_attempt(view.attempt.id, db)


def practice(
    group: list[str] = typer.Option([], "--group", help="Functional group id (repeat)."),
    objective: list[str] = typer.Option([], "--objective", help="Objective id (repeat)."),
    kind: list[str] = typer.Option([], "--type", help="Item type (repeat)."),
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
) -> None:
    """Practise by group, objective or type with immediate feedback (or adaptively, with --adaptive)."""
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
        run_adaptive(view.attempt.id, db)
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


def report(attempt_id: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """Print the score report of a submitted attempt."""
    content = svc.get_report(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        attempt_id=attempt_id,
        now=context.now(),
        bank=context.bank(),
    )
    if as_json:
        typer.echo(json.dumps(content, indent=2))
    else:
        _print_report(content)


def _print_report(r: dict[str, Any]) -> None:
    console.rule(f"Score report · {r['mode']} {r['attempt_id']}")
    points = f"{r['raw']}/{r['max_raw']} points" + (" · time ran out" if r["expired"] else "")
    if is_scaled(r["mode"]) and r.get("scaled") is not None:
        verdict = "[green]PASS[/]" if r["passed"] else "[red]FAIL[/]"
        console.print(f"{verdict}  scaled score {r['scaled']} (700 to pass) · {points}, cut {r['cut']:.1f}")
    else:
        share = r["raw"] / r["max_raw"] if r["max_raw"] else 0
        console.print(
            f"{points} ({share:.0%}). A practice set has no scaled score or pass/fail: take a mock exam for that."
        )
    for g in r["groups"]:
        frac = g["points"] / g["max_points"] if g["max_points"] else 0
        bar = "█" * round(frac * 30)
        console.print(
            f"{g['title'][:48]:<48} {bar:<30} {g['points']}/{g['max_points']} {frac:>4.0%}", markup=False
        )
    if r["revisit"]:
        console.print("[bold]Worth revisiting[/]")
        for v in r["revisit"]:
            console.print(f"  {v['code']} {v['text']} ({v['lost_points']} points lost)", markup=False)
            for url in v["links"][:2]:
                console.print(f"    {url}", markup=False)
    readiness = r.get("readiness")
    if readiness:
        console.print(readiness_sentence(readiness), markup=False)
        if is_scaled(r["mode"]) and readiness.get("supported", True):
            console.print(READINESS_VS_EXAM, markup=False)
    console.print(
        f"Method {r['method_version']} · outline {r['outline']} · `certprep report {r['attempt_id']} --json` for the item review"
    )


__all__ = ["CertprepError", "app"]


def run_adaptive(attempt_id: str, db: Database) -> None:
    """The adaptive loop: next item by information, answer, feedback, until a stopping rule ends the session."""
    catalog, who, bank = context.catalog(), context.LEARNER, context.bank()
    while True:
        step = next_adaptive_item(
            db, catalog=catalog, learner_id=who, attempt_id=attempt_id, now=context.now(), bank=bank
        )
        if step.position is None:
            reason = {
                "precise": "your ability is measured precisely enough",
                "length": "the item limit was reached",
                "pass": "you are confidently above the cut",
                "fail": "you are confidently below the cut",
            }[step.decision]
            console.print(f"Session ended after {step.given} items: {reason}.")
            _print_report(
                svc.get_report(
                    db, catalog=catalog, learner_id=who, attempt_id=attempt_id, now=context.now(), bank=bank
                )
            )
            return
        item = svc.view_item(
            db,
            catalog=catalog,
            learner_id=who,
            attempt_id=attempt_id,
            position=step.position,
            now=context.now(),
            bank=bank,
        )
        _show_item(item, step.position + 1, f"adaptive · ability {step.theta:+.2f} ± {step.sd:.2f}")
        text = console.input("> ").strip()
        if text == ":q":
            console.print(f"Session {attempt_id} kept; it continues where you left it.")
            return
        try:
            ack = svc.answer_item(
                db,
                catalog=catalog,
                learner_id=who,
                attempt_id=attempt_id,
                position=step.position,
                response=_parse(item.shown, text),
                request_id=None,
                now=context.now(),
                bank=bank,
            )
        except (InvalidInput, PolicyViolation) as exc:
            console.print(f"[red]{exc.message}[/]")
            continue
        if ack.feedback:
            _show_feedback(ack.feedback)
            console.input("(enter to continue) ")

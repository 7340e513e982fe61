"""The score report in the terminal: the result, a bar per functional group, objectives to revisit, readiness,
and the item review as a person reads it (questions numbered from 1, answers and keys in words)."""

from __future__ import annotations

from rich.console import Console

from certprep.cli.text import clean, first_line, safe
from certprep.domain.presentation import answer_parts, fill_blanks, outcome
from certprep.domain.readiness import READINESS_VS_EXAM, readiness_sentence
from certprep.domain.report import is_scaled
from certprep.services.reports import ScoreReport


def print_report(console: Console, r: ScoreReport, *, review: bool = True) -> None:
    """The whole report; `review=False` leaves out the item review (and says how to see it)."""
    console.rule(f"Score report · {safe(r.mode)} {safe(r.attempt_id)}")
    points = f"{r.raw}/{r.max_raw} points" + (" · time ran out" if r.expired else "")
    if is_scaled(r.mode) and r.scaled is not None:
        verdict = "[green]PASS[/]" if r.passed else "[red]FAIL[/]"
        console.print(f"{verdict}  scaled score {r.scaled} (700 to pass) · {points}, cut {r.cut or 0:.1f}")
    else:
        console.print(
            f"{points} ({r.share:.0%}). A practice set has no scaled score or pass/fail: take a mock exam for that."
        )
    _groups(console, r)
    if r.readiness:
        console.print(clean(readiness_sentence(r.readiness)), markup=False)
        if is_scaled(r.mode) and r.readiness.get("supported", True):
            console.print(READINESS_VS_EXAM, markup=False)
    if review:
        print_review(console, r)
    else:
        console.print(f"The item review: certprep report {clean(r.attempt_id)}", markup=False)
    console.print(
        f"Method {clean(r.method_version)} · outline {clean(r.outline)} · "
        f"certprep report {clean(r.attempt_id)} --json for the data",
        markup=False,
    )


def _groups(console: Console, r: ScoreReport) -> None:
    for g in r.groups:
        bar = "█" * round(g.fraction * 30)
        title = clean(g.title)[:48]
        console.print(f"{title:<48} {bar:<30} {g.points}/{g.max_points} {g.fraction:>4.0%}", markup=False)
    if r.revisit:
        console.print("[bold]Worth revisiting[/]")
        for v in r.revisit:
            console.print(f"  {clean(v.code)} {clean(v.text)} ({v.lost_points} points lost)", markup=False)
            for url in v.links[:2]:
                console.print(f"    {clean(url)}", markup=False)


def print_review(console: Console, r: ScoreReport) -> None:
    """Each item: its number from 1, the question's first line, the answer given and the key in words, whether it
    was right, and the explanation."""
    console.rule("Item review")
    for it in r.items:
        shown, revealed = it.shown, it.revealed
        verdict = outcome(it.points, it.max_points, it.answer is not None)
        style = {"correct": "green", "not answered": "dim"}.get(
            verdict, "red" if verdict == "incorrect" else "yellow"
        )
        unscored = "" if it.scored else " · unscored (trial item)"
        console.print(
            f"[bold]{it.position + 1}.[/] [{style}]{verdict}[/]{unscored} · {safe(first_line(fill_blanks(shown)))}"
        )
        if shown.get("statement"):
            console.print(f"   Statement: {clean(shown['statement'])}", markup=False)
        _answer(console, "Your answer", answer_parts(shown, it.answer))
        _answer(console, "Key", answer_parts(shown, revealed.get("key")))
        if revealed.get("explanation"):
            console.print(f"   Why: {clean(revealed['explanation'])}", markup=False)


def _answer(console: Console, title: str, parts: tuple[str, ...]) -> None:
    """One part on the title's line; several (a list, pairs, blanks) one per line below it."""
    if len(parts) <= 1:
        console.print(f"   {title}: {clean(parts[0]) if parts else 'no answer'}", markup=False)
        return
    console.print(f"   {title}:", markup=False)
    for part in parts:
        console.print(f"     {clean(part)}", markup=False)

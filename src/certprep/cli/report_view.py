"""The score report in the terminal: the result, a bar per functional group, objectives to revisit, readiness,
and the item review as a person reads it (questions numbered from 1, answers and keys in words)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from certprep.cli.text import clean, first_line, safe
from certprep.domain.presentation import answer_parts, fill_blanks, outcome
from certprep.domain.readiness import READINESS_VS_EXAM, readiness_sentence
from certprep.domain.report import is_scaled


def print_report(console: Console, r: dict[str, Any], *, review: bool = True) -> None:
    """The whole report; `review=False` leaves out the item review (and says how to see it)."""
    console.rule(f"Score report · {safe(r['mode'])} {safe(r['attempt_id'])}")
    points = f"{r['raw']}/{r['max_raw']} points" + (" · time ran out" if r["expired"] else "")
    if is_scaled(r["mode"]) and r.get("scaled") is not None:
        verdict = "[green]PASS[/]" if r["passed"] else "[red]FAIL[/]"
        console.print(f"{verdict}  scaled score {r['scaled']} (700 to pass) · {points}, cut {r['cut']:.1f}")
    else:
        share = r["raw"] / r["max_raw"] if r["max_raw"] else 0
        console.print(
            f"{points} ({share:.0%}). A practice set has no scaled score or pass/fail: take a mock exam for that."
        )
    _groups(console, r)
    readiness = r.get("readiness")
    if readiness:
        console.print(clean(readiness_sentence(readiness)), markup=False)
        if is_scaled(r["mode"]) and readiness.get("supported", True):
            console.print(READINESS_VS_EXAM, markup=False)
    if review:
        print_review(console, r)
    else:
        console.print(f"The item review: certprep report {clean(r['attempt_id'])}", markup=False)
    console.print(
        f"Method {clean(r['method_version'])} · outline {clean(r['outline'])} · "
        f"certprep report {clean(r['attempt_id'])} --json for the data",
        markup=False,
    )


def _groups(console: Console, r: dict[str, Any]) -> None:
    for g in r["groups"]:
        frac = g["points"] / g["max_points"] if g["max_points"] else 0
        bar = "█" * round(frac * 30)
        title = clean(g["title"])[:48]
        console.print(f"{title:<48} {bar:<30} {g['points']}/{g['max_points']} {frac:>4.0%}", markup=False)
    if r["revisit"]:
        console.print("[bold]Worth revisiting[/]")
        for v in r["revisit"]:
            console.print(
                f"  {clean(v['code'])} {clean(v['text'])} ({v['lost_points']} points lost)", markup=False
            )
            for url in v["links"][:2]:
                console.print(f"    {clean(url)}", markup=False)


def print_review(console: Console, r: dict[str, Any]) -> None:
    """Each item: its number from 1, the question's first line, the answer given and the key in words, whether it
    was right, and the explanation."""
    console.rule("Item review")
    for it in r.get("items", []):
        shown, revealed = it.get("shown", {}), it.get("revealed", {})
        answered = it.get("answer") is not None
        verdict = outcome(it.get("points", 0), it.get("max_points", 1), answered)
        style = {"correct": "green", "not answered": "dim"}.get(
            verdict, "red" if verdict == "incorrect" else "yellow"
        )
        unscored = " · unscored (trial item)" if not it.get("scored", True) else ""
        console.print(
            f"[bold]{it['position'] + 1}.[/] [{style}]{verdict}[/]{unscored} · {safe(first_line(fill_blanks(shown)))}"
        )
        if shown.get("statement"):
            console.print(f"   Statement: {clean(shown['statement'])}", markup=False)
        _answer(console, "Your answer", answer_parts(shown, it.get("answer")))
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

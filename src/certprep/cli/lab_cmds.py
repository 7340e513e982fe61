"""`certprep lab ...`: list the labs, start one in a folder, check a folder (a scored report, recorded as evidence
for the study planner and optionally sent to a server), reset a folder to its starter. Checks run on this machine
and never execute the learner's code."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from certprep.cli import context
from certprep.cli.text import clean, safe
from certprep.domain.labs import Lab, LabReport
from certprep.errors import InvalidInput
from certprep.services import labs as svc

app = typer.Typer(help="Hands-on labs checked on your machine.", no_args_is_help=True)


def _objectives(lab: Lab) -> str:
    outline = context.catalog().outline("AZ-400")
    codes: dict[str, str] = {o.id: o.code for o in outline.objectives}
    return ", ".join(f"{codes.get(o, '?')} {o}" for o in lab.objectives)


@app.command("list")
def list_labs(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The labs of the pack with the objectives each one is evidence for."""
    labs = svc.list_labs(pack_root=context.settings().pack_dir)
    if as_json:
        typer.echo(json.dumps([_lab_json(lab) for lab in labs], indent=2))
        return
    table = Table(title=f"{len(labs)} labs (certprep lab start LAB DIR)")
    for column in ("Lab", "Title", "Objectives", "Minutes", "Checks"):
        table.add_column(column)
    for lab in labs:
        title = safe(lab.title) + (f"\n[dim]{safe(lab.note)}[/]" if lab.note else "")
        table.add_row(safe(lab.id), title, safe(_objectives(lab)), str(lab.minutes), str(len(lab.checks)))
    Console().print(table)


def _lab_json(lab: Lab) -> dict[str, Any]:
    return {
        "id": lab.id,
        "title": lab.title,
        "objectives": list(lab.objectives),
        "minutes": lab.minutes,
        "note": lab.note,
        "checks": [{"id": c.id, "title": c.title, "kind": c.kind, "weight": c.weight} for c in lab.checks],
    }


@app.command("show")
def show(lab_id: str = typer.Argument(..., metavar="LAB", help="Lab id (see `certprep lab list`).")) -> None:
    """A lab's task, the objectives it is evidence for, and its checks."""
    lab = svc.get_lab(lab_id, pack_root=context.settings().pack_dir)
    console = Console(highlight=False)
    console.print(clean(lab.task), markup=False)
    console.print(f"[bold]Evidence for[/]: {safe(_objectives(lab))}  [dim]about {lab.minutes} minutes[/]")
    if lab.note:
        console.print(f"[bold]Note[/]: {safe(lab.note)}")
    for c in lab.checks:
        console.print(f"- {safe(c.title)} [dim](weight {c.weight}, {safe(c.kind)})[/]")
    console.print(f"Start it: certprep lab start {safe(lab.id)} DIR", soft_wrap=True)


@app.command("start")
def start(
    lab_id: str = typer.Argument(..., metavar="LAB", help="Lab id (see `certprep lab list`)."),
    folder: Path = typer.Argument(None, metavar="[DIR]", help="A new or empty folder (default: ./LAB)."),
) -> None:
    """Copy a lab's starter files into a folder and make it a git repository."""
    target = (folder or Path(lab_id)).absolute()
    lab = svc.start_lab(lab_id, target, pack_root=context.settings().pack_dir)
    console = Console(highlight=False)
    console.print(f"Lab [bold]{safe(lab.title)}[/] started in {safe(target)}")
    console.print(f"Read the task: {safe(Path(lab.folder) / 'task.md')}", soft_wrap=True)
    console.print(clean(lab.task), markup=False)
    console.print(f"When ready: certprep lab check {safe(target)}", soft_wrap=True)


@app.command("check")
def check(
    folder: Path = typer.Argument(Path("."), metavar="[DIR]", help="The lab folder (default: here)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    submit: bool = typer.Option(False, "--submit", help="Also send the report to a certprep server."),
    server: str = typer.Option(
        None, "--server", help="The server's address, e.g. https://certprep.example.org."
    ),
    token: str = typer.Option(
        None,
        "--token",
        help="A personal access token (cpat_...); default: $CERTPREP_TOKEN.",
        show_default=False,
    ),
) -> None:
    """Run every check of the lab in DIR and print a scored report; exit code 1 while a check fails."""
    if submit and not server:
        raise InvalidInput("--submit needs --server URL", field="server")
    s = context.settings()
    report = svc.check_lab(
        context.database(s),
        learner_id=context.LEARNER,
        folder=folder.absolute(),
        now=context.now(),
        pack_root=s.pack_dir,
    )
    lab = svc.get_lab(report.lab_id, pack_root=s.pack_dir)
    sent = None
    if submit:
        sent = svc.submit_report(report, server=server, token=token or os.environ.get("CERTPREP_TOKEN"))
    if as_json:
        data = report_json(lab, report)
        if sent is not None:
            data["submitted"] = sent
        typer.echo(json.dumps(data, indent=2))
    else:
        _print_report(lab, report, sent)
    if not report.complete:
        raise typer.Exit(1)


def report_json(lab: Lab, report: LabReport) -> dict[str, Any]:
    by_id = {c.id: c for c in lab.checks}
    return {
        "lab": lab.id,
        "score": report.score,
        "complete": report.complete,
        "report_id": report.report_id,
        "recorded_at": report.recorded_at.isoformat() if report.recorded_at else None,
        "checks": [
            {
                "id": r.check_id,
                "title": by_id[r.check_id].title,
                "passed": r.passed,
                "message": r.message,
                "weight": by_id[r.check_id].weight,
                "hint": by_id[r.check_id].hint,
                "doc": by_id[r.check_id].doc,
            }
            for r in report.results
        ],
    }


def _print_report(lab: Lab, report: LabReport, sent: dict[str, Any] | None) -> None:
    """The checks as a table (passed or failed, why), then what to do for each failed one: its hint and its
    documentation page on a line of its own, so the address is never cut by the table."""
    console = Console(highlight=False)
    table = Table(title=f"{safe(lab.title)}: {report.score}%", show_lines=True)
    table.add_column("")
    table.add_column("Check (weight)", overflow="fold")
    table.add_column("Why", overflow="fold")
    by_id = {c.id: c for c in lab.checks}
    for r in report.results:
        c = by_id[r.check_id]
        mark = "[green]passed[/]" if r.passed else "[red]failed[/]"
        table.add_row(mark, f"{safe(c.title)} [dim]({c.weight})[/]", safe(r.message))
    console.print(table)
    failed = [by_id[r.check_id] for r in report.results if not r.passed]
    if failed:
        console.print("[bold]To do[/]")
    for c in failed:
        console.print(f"- {safe(c.title)}: {safe(c.hint)}", soft_wrap=True)
        console.print(f"  [link={safe(c.doc)}]{safe(c.doc)}[/link]", soft_wrap=True)
    done = sum(r.passed for r in report.results)
    verdict = "complete" if report.complete else f"{done} of {len(report.results)} checks pass"
    console.print(f"Score {report.score}%: {verdict}. Recorded as evidence for your study plan.")
    if sent is not None:
        console.print(f"Sent to the server: recorded there with score {safe(sent.get('score'))}%.")


@app.command("reset")
def reset(
    folder: Path = typer.Argument(Path("."), metavar="[DIR]", help="The lab folder (default: here)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask: discard your changes and history."),
) -> None:
    """Put a lab folder back to its starter files and history (your changes are discarded)."""
    target = svc.lab_root(folder.absolute())
    lab = svc.folder_lab(target, pack_root=context.settings().pack_dir)
    if not yes and not typer.confirm(f"Discard every change in {target} and restore lab {lab.id}?"):
        raise typer.Exit(1)
    svc.reset_lab(target, pack_root=context.settings().pack_dir)
    Console(highlight=False).print(f"{safe(target)} is back to the starter of lab {safe(lab.id)}.")


@app.command("reports")
def reports(
    lab_id: str = typer.Option(None, "--lab", help="Only this lab's reports."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Your recorded lab reports, newest first."""
    s = context.settings()
    if lab_id is not None:
        svc.get_lab(lab_id, pack_root=s.pack_dir)
    found = svc.reports(context.database(s), learner_id=context.LEARNER, lab_id=lab_id)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": r.report_id,
                        "lab": r.lab_id,
                        "score": r.score,
                        "complete": r.complete,
                        "recorded_at": r.recorded_at.isoformat() if r.recorded_at else None,
                        "checks": [
                            {"id": c.check_id, "passed": c.passed, "message": c.message} for c in r.results
                        ],
                    }
                    for r in found
                ],
                indent=2,
            )
        )
        return
    if not found:
        typer.echo("No lab report recorded yet: certprep lab check DIR records one.")
        return
    table = Table(title="Your lab reports")
    for column in ("Recorded (UTC)", "Lab", "Score", "Checks passed"):
        table.add_column(column)
    for r in found:
        when = r.recorded_at.strftime("%Y-%m-%d %H:%M") if r.recorded_at else ""
        passed = f"{sum(c.passed for c in r.results)}/{len(r.results)}"
        table.add_row(when, safe(r.lab_id), f"{r.score}%" + (" complete" if r.complete else ""), passed)
    Console().print(table)

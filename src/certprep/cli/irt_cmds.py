"""`certprep readiness`, `certprep calibrate`, `certprep items stats`: readiness and item analysis in the terminal."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from certprep.cli import context
from certprep.domain.plain import to_plain
from certprep.domain.readiness import readiness_sentence
from certprep.services.calibration import item_statistics, run_calibration_job, start_calibration_job
from certprep.services.readiness import get_readiness

console = Console(highlight=False)
items_app = typer.Typer(help="Item analysis for trainers and authors.", no_args_is_help=True)


def readiness(as_json: bool = typer.Option(False, "--json")) -> None:
    """Your predicted score (1-1000), the range 8 in 10 new mock exams would fall in, the probability of passing,
    and the trend; shown once there is enough evidence (`--json` also gives the ability values)."""
    data = get_readiness(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        today=context.now().date(),
        bank=context.bank(),
    )
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    r = data["current"]
    if r is None:
        console.print("No answers yet: take a practice set or a mock exam first.")
        return
    console.print(readiness_sentence(r), markup=False)
    if r["supported"]:
        for g in r["groups"]:
            console.print(f"  {g['title']}: {g['level']} ({g['items']} answers)", markup=False)
    if data["trend"]:
        console.print("Trend: " + " -> ".join(f"{t['predicted']}" for t in data["trend"]))


def calibrate(
    min_responses: int = typer.Option(
        200, "--min-responses", help="Calibrate items with at least this many."
    ),
    all_exposures: bool = typer.Option(
        False, "--all-exposures", help="Also use repeats (default: first exposures only)."
    ),
) -> None:
    """Re-estimate item parameters (2PL) from every recorded response; previous parameters are kept."""
    db = context.database()
    job = start_calibration_job(db, started_by=None, now=context.now())  # the author page shows it too
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("calibrating", total=None)
        run = run_calibration_job(
            db,
            job.id,
            bank=context.bank(),
            clock=context.now,
            min_responses=min_responses,
            first_exposures_only=not all_exposures,
            progress=lambda it, ll: progress.update(
                task, description=f"EM step {it}, log-likelihood {ll:,.1f}"
            ),
        )
    console.print(
        f"{run.persons} learners, {run.items_seen} items with responses, {len(run.items_updated)} updated "
        f"({run.anchors} anchors held fixed); {run.iterations} EM steps, converged: {run.converged}.",
        markup=False,
    )
    if run.anchors:
        console.print(
            f"Learners' ability: mean {run.population[0]:+.2f}, SD {run.population[1]:.2f} (on the anchors' scale)."
        )
    for item, why in run.held:
        console.print(f"  not updated: {item}: {why}", markup=False)
    if not run.converged:
        raise typer.Exit(1)


@items_app.command("stats")
def stats(
    as_json: bool = typer.Option(False, "--json"),
    flagged: bool = typer.Option(False, "--flagged", help="Only items with a flag."),
    min_responses: int = typer.Option(30, "--min-responses"),
) -> None:
    """Per item: responses, facility, point-biserial, distractor rates, parameters and flags."""
    rows = item_statistics(context.database(), bank=context.bank(), min_responses=min_responses)
    if flagged:
        rows = [r for r in rows if r.flags]
    if as_json:
        typer.echo(json.dumps(to_plain(rows), indent=2))
        return
    table = Table(title="Item statistics")
    for col in ("Item", "N", "Facility", "r(pb)", "a", "b", "Flags"):
        table.add_column(col)
    for r in rows:
        disc = "" if r.discrimination is None else f"{r.discrimination:+.2f}"
        table.add_row(
            r.item_id,
            str(r.responses),
            f"{r.facility:.2f}",
            disc,
            f"{r.a:.2f}",
            f"{r.b:+.2f}",
            "; ".join(r.flags),
        )
    console.print(table)

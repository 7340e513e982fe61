"""`certprep lint FILE...`: offline validation of Azure Pipelines YAML and GitHub Actions workflows.

Linting reads files only (no database, no account), so the command calls `certprep.labcheck.lint` directly,
the same engine the lab checks use. Exit codes: 0 clean (warnings allowed unless --strict), 1 an error was
found, 2 a file could not be linted (missing, binary, over 1 MB, or neither a pipeline nor a workflow).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from certprep.cli.text import clean
from certprep.labcheck.lint import run_lint


def lint(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders (folders are walked for .yml/.yaml files)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    root: Path = typer.Option(None, "--root", help="Repository root for `/`-rooted template paths."),
) -> None:
    """Lint Azure Pipelines and GitHub Actions YAML offline: one `file:line:column: message` line per finding.

    Exit code 0 when nothing is wrong (warnings allowed unless --strict), 1 on an error, 2 when a file cannot be
    linted (missing, binary, over 1 MB, or neither a pipeline nor a workflow).
    """
    run = run_lint(paths, root=root)
    if as_json:
        payload = {
            "findings": [f.as_json() for f in run.findings],
            "errors": run.errors,
            "warnings": run.warnings,
            "linted": run.linted,
            "unlintable": run.unlintable,
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        for finding in run.findings:
            typer.echo(clean(finding.text()))
        summary = f"{run.errors} error(s), {run.warnings} warning(s) in {run.linted} file(s)"
        if run.unlintable:
            summary += f"; {run.unlintable} file(s) could not be linted"
        typer.echo(summary, err=True)
    raise typer.Exit(run.exit_code(strict=strict))

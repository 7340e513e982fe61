"""`certprep lint FILE...`: offline validation of Azure Pipelines YAML and GitHub Actions workflows.

Linting reads files only (no database, no account), so the command calls `certprep.labcheck.lint` directly,
the same engine the lab checks use. Exit codes: 0 clean (warnings allowed unless --strict), 1 an error was
found, 2 a file could not be linted (missing, binary, over 1 MB, or neither a pipeline nor a workflow).
`--annotations github|azure` prints each finding as the CI system's logging command, so a pipeline run shows
it on the file and line (GitHub: `::error file=...`; Azure Pipelines: `##vso[task.logissue ...]`).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from certprep.cli.text import clean
from certprep.labcheck.findings import Finding
from certprep.labcheck.lint import run_lint


class Annotations(StrEnum):
    """CI systems whose logging commands `--annotations` can print."""

    github = "github"
    azure = "azure"


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}
_AZURE = {"%": "%AZP25", ";": "%3B", "]": "%5D", "\r": "%0D", "\n": "%0A"}


def annotation(finding: Finding, system: Annotations) -> str:
    """One finding as a GitHub Actions workflow command or an Azure Pipelines logging command."""
    if system is Annotations.github:
        props = [f"file={_escape(finding.path, _GITHUB_PROPERTY)}"]
        if finding.line:
            props += [f"line={finding.line}", f"col={finding.column}"]
        props.append(f"title={_escape(finding.rule, _GITHUB_PROPERTY)}")
        return f"::{finding.severity} {','.join(props)}::{_escape(finding.message, _GITHUB_DATA)}"
    props = [f"type={finding.severity}", f"sourcepath={_escape(finding.path, _AZURE)}"]
    if finding.line:
        props += [f"linenumber={finding.line}", f"columnnumber={finding.column}"]
    props.append(f"code={_escape(finding.rule, _AZURE)}")
    return f"##vso[task.logissue {';'.join(props)}]{_escape(finding.message, _AZURE)}"


def lint(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders (folders are walked for .yml/.yaml files)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    annotations: Annotations = typer.Option(
        None, "--annotations", help="Print CI logging commands (github or azure) instead of plain lines."
    ),
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
            typer.echo(clean(annotation(finding, annotations) if annotations else finding.text()))
        summary = f"{run.errors} error(s), {run.warnings} warning(s) in {run.linted} file(s)"
        if run.unlintable:
            summary += f"; {run.unlintable} file(s) could not be linted"
        typer.echo(summary, err=True)
    raise typer.Exit(run.exit_code(strict=strict))

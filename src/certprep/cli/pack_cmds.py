"""`certprep pack ...`: check a content pack, its coverage of the outline, outline changes, and the freshness of the
sources it cites."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from certprep.cli import context
from certprep.domain.cues import cue_lines
from certprep.domain.freshness import DEFAULT_MAX_AGE_DAYS, FreshnessReport, check_max_age, cited_by
from certprep.domain.plain import to_plain
from certprep.errors import InvalidInput, PackInvalid
from certprep.interchange.report import MAX_BYTES
from certprep.services.bank import sync_bank
from certprep.services.content import builtin_pack_path
from certprep.services.interchange import (
    EXPORT_FORMATS,
    ImportReport,
    check_format,
    export_pack,
    import_items,
)
from certprep.services.pack import PackReport, check_pack_folder, diff_pack_outlines, source_freshness

app = typer.Typer(help="Content packs.", no_args_is_help=True)


@app.command("check")
def check(
    path: Path = typer.Argument(None, help="Pack folder (default: the built-in az-400 pack)."),
    show_coverage: bool = typer.Option(
        False, "--coverage", help="Scored items per objective and group vs. weights."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="With --coverage, --outline-diff or --sources: print JSON."
    ),
    outline_diff: tuple[str, str] | None = typer.Option(
        None, "--outline-diff", help="OLD NEW outline versions."
    ),
    sources: bool = typer.Option(
        False,
        "--sources",
        help="Every cited page with its last check date and what cites it; exit code 1 when a citation is older "
        "than --max-age days or was never checked.",
    ),
    max_age: int | None = typer.Option(
        None, "--max-age", help=f"With --sources: the age in days (default {DEFAULT_MAX_AGE_DAYS})."
    ),
) -> None:
    """Validate a pack: prints file:line: message for every problem and exits non-zero on any error."""
    root = path or builtin_pack_path()
    if not (root / "pack.yaml").exists():
        raise InvalidInput(f"{root} is not a content pack (no pack.yaml)", field="path")
    if max_age is not None and not sources:
        raise InvalidInput("--max-age goes with --sources", field="max_age")
    days = check_max_age(DEFAULT_MAX_AGE_DAYS if max_age is None else max_age)
    report = check_pack_folder(root, today=context.now().date())
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for problem in report.result.problems:
        err.print(str(problem), markup=False)
    if report.result.errors:
        raise PackInvalid(
            f"{root}: {len(report.result.errors)} errors, {len(report.result.warnings)} warnings", []
        )
    if outline_diff:
        _outline_diff(root, outline_diff, as_json)
        return
    if show_coverage:
        _coverage(report, as_json)
        return
    if sources:
        _sources(source_freshness(root, today=context.now().date(), max_age_days=days), as_json)
        return
    bank = report.result.bank
    assert bank is not None
    Console().print(
        f"{root}: ok ({len(bank.items)} scored items, {len(bank.case_studies)} case studies, "
        f"{len(bank.series)} yes/no series, {len(bank.flashcards)} flashcards; {len(report.result.warnings)} warnings)",
        markup=False,
    )


def _coverage(report: PackReport, as_json: bool) -> None:
    cov = report.coverage
    assert cov is not None and report.cues is not None
    cues = cue_lines(report.cues)
    if as_json:
        data = to_plain(cov)
        data["empty"] = list(cov.empty)
        data["ok"] = cov.ok
        for g, gc in zip(data["groups"], cov.groups, strict=True):
            g["in_range"] = gc.in_range
        data["cues"] = to_plain(list(cues))
        typer.echo(json.dumps(data, indent=2))
    else:
        console = Console()
        table = Table(title=f"Scored items per objective (outline {cov.outline})")
        for col in ("Code", "Objective", "Items"):
            table.add_column(col)
        for o in cov.objectives:
            table.add_row(o.code, o.objective, str(o.items) if o.items else "[red]0[/]")
        console.print(table)
        groups = Table(title=f"Per functional group ({cov.total} items)")
        for col in ("Group", "Items", "Share", "Weight", "In range"):
            groups.add_column(col)
        for g in cov.groups:
            groups.add_row(
                g.title,
                str(g.items),
                f"{g.share:.1%}",
                f"{g.weight[0]}-{g.weight[1]}%",
                "yes" if g.in_range else "[red]no[/]",
            )
        console.print(groups)
        console.print("By type: " + ", ".join(f"{t} {n}" for t, n in cov.by_type))
        if cov.empty:
            console.print("Objectives with no item: " + ", ".join(cov.empty))
        table = Table(title="Answer cues (what a guesser who knows nothing could exploit)")
        for col in ("Figure", "Count", "Value", "Limit", "Within"):
            table.add_column(col)
        for c in cues:
            verdict = "-" if c.ok is None else ("yes" if c.ok else "[red]no[/]")
            value = f"{c.value:.2f}" if c.rule == "length-ratio" else f"{c.value:.0%}"
            count = "" if c.rule == "length-ratio" else f"{c.count} of {c.total}"
            table.add_row(c.label, count, value, c.limit, verdict)
        console.print(table)
    if not cov.ok:
        raise typer.Exit(1)


def _sources(report: FreshnessReport, as_json: bool) -> None:
    if as_json:
        data = to_plain(report)
        data["ok"] = report.ok
        typer.echo(json.dumps(data, indent=2))
    else:
        console = Console(highlight=False, soft_wrap=True)
        table = Table(
            title=f"Cited pages on {report.today} (stale: a citation older than {report.max_age_days} days)"
        )
        for col in ("Page", "Last checked", "Age (days)", "Cited by", "Stale"):
            table.add_column(col)
        for p in report.pages:
            table.add_row(
                p.url,
                str(p.last_checked or "never"),
                "" if p.age_days is None else str(p.age_days),
                cited_by(p),
                f"[red]{len(p.stale)}[/]" if p.stale else "-",
            )
        console.print(table)
        for p in (p for p in report.pages if p.stale):
            console.print(p.url, markup=False)
            for c in p.stale:
                console.print(f"  {c.kind} {c.ref}: checked {c.checked or 'never'}", markup=False)
        due = (
            f"{report.stale_pages} pages with {report.stale_citations} citations older than "
            f"{report.max_age_days} days or never checked"
            if report.stale_citations
            else f"none older than {report.max_age_days} days, none never checked"
        )
        console.print(f"{len(report.pages)} pages, {report.citations} citations; {due}", markup=False)
    if not report.ok:
        raise typer.Exit(1)


def _outline_diff(root: Path, versions: tuple[str, str], as_json: bool) -> None:
    old, new = (context.parse_day(v, "--outline-diff") for v in versions)
    assert isinstance(old, date) and isinstance(new, date)
    changes = diff_pack_outlines(root, old, new)
    if as_json:
        typer.echo(json.dumps(to_plain(changes), indent=2))
        return
    console = Console(highlight=False)
    console.print(f"{len(changes)} changes from {old} to {new}")
    for t in changes:
        c = t.change
        console.print(f"[bold]{c.kind}[/] {c.objective}")
        if c.old_text:
            console.print(f"  - {c.old_text}", markup=False)
        if c.new_text:
            console.print(f"  + {c.new_text}", markup=False)
        console.print(f"  items touched ({len(t.items)}): " + (", ".join(t.items) or "none"), markup=False)


@app.command("sync")
def sync(path: Path = typer.Argument(None, help="Pack folder (default: the built-in az-400 pack).")) -> None:
    """Record the revision of every item in the database (new revisions are added, none is changed)."""
    added = sync_bank(context.database(), root=path or builtin_pack_path(), now=context.now())
    Console().print(f"{added} new item revisions recorded", markup=False)


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="The file to import (a .zip for QTI)."),
    fmt: str = typer.Option(..., "--format", help="qti3 | qti21 | moodle | gift | csv"),
    into: Path = typer.Option(
        None, "--into", help="Pack folder to write into (the built-in pack is read-only)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report items, problems and warnings; write nothing."
    ),
    objective: str = typer.Option(None, "--objective", help="Objective for items whose file names none."),
    source: str = typer.Option(None, "--source", help="Source URL for items whose file gives none."),
    author: str = typer.Option(None, "--author", help="Author for items whose file names none."),
) -> None:
    """Import items from an open format: all or nothing, every problem and every loss reported per item."""
    check_format(fmt)
    if not file.is_file():
        raise InvalidInput(f"{file}: no such file", field="file")
    if file.stat().st_size > MAX_BYTES:
        raise InvalidInput(
            f"{file}: {file.stat().st_size / 1e6:.1f} MB is over the {MAX_BYTES // 1_000_000} MB import limit",
            field="file",
        )
    data = file.read_bytes()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with _progress(err) as bar:
        task = bar.add_task("checking items", total=None)
        try:
            report = import_items(
                data,
                fmt=fmt,
                into=into or builtin_pack_path(),
                file=file.name,
                today=context.now().date(),
                dry_run=dry_run,
                objective=objective,
                source=source,
                author=author,
                progress=lambda n, total: bar.update(task, completed=n, total=total),
            )
        except InvalidInput as exc:
            bar.stop()
            for line in exc.data.get("problems", []):
                err.print(f"error: {line}", markup=False)
            for line in exc.data.get("warnings", []):
                err.print(f"warning: {line}", markup=False)
            raise
    _import_table(report)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    )


def _import_table(report: ImportReport) -> None:
    console = Console(highlight=False, soft_wrap=True)
    table = Table(title=f"{report.file}: {len(report.items)} items ({report.format})")
    for col in ("Item", "Type", "Objective", "Warnings"):
        table.add_column(col)
    for row in report.items:
        table.add_row(row.item, row.type, row.objective, "\n".join(row.warnings))
    console.print(table)
    for line in report.warnings:
        if not any(line.startswith(f"item {r.item}:") for r in report.items):
            console.print(f"warning: {line}", markup=False)
    if report.written:
        console.print(f"imported {len(report.items)} items into {report.pack}/{report.folder}", markup=False)
    else:
        console.print(
            f"dry run: {len(report.items)} items would be written to {report.pack}/{report.folder}",
            markup=False,
        )


@app.command("export")
def export_cmd(
    pack: Path = typer.Argument(..., help="Pack folder to export."),
    out: Path = typer.Argument(..., help="File to write (.zip for qti3)."),
    fmt: str = typer.Option(..., "--format", help="qti3 | moodle | gift | csv"),
) -> None:
    """Export a pack's items; what the format cannot hold is a warning per item."""
    check_format(fmt, EXPORT_FORMATS)
    written = export_pack(pack, fmt=fmt)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(written.data)
    tmp.replace(out)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for w in written.warnings:
        err.print(f"warning: {w}", markup=False)
    Console(highlight=False).print(
        f"exported {written.count} items to {out} ({len(written.warnings)} warnings)", markup=False
    )

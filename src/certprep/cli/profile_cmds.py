"""`certprep profile ...`: certifications held, real sittings, the booked exam, retake and renewal status."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table

from certprep.cli import context
from certprep.domain.plain import to_plain
from certprep.domain.profile import exam_language
from certprep.errors import InvalidInput
from certprep.services import profile as svc

app = typer.Typer(help="Your certifications, exam sittings and booking.", no_args_is_help=True)


def local_to_utc(value: str, tz: str, option: str) -> datetime:
    """'2026-12-01T09:30' in a named time zone -> an aware UTC datetime; clear errors for either part."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"--tz {tz!r} is not a known time zone (e.g. Europe/Paris, UTC)", field="tz"
        ) from None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{option} {value!r} is not a date and time like 2026-12-01T09:30", field=option
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


@app.command("add-cert")
def add_cert(
    ref: str = typer.Argument(..., help="Certification id or exam code, e.g. AZ-104."),
    earned: str = typer.Option(None, "--earned", help="Date earned, YYYY-MM-DD."),
) -> None:
    """Record a certification you hold."""
    db = context.database()
    held = svc.record_certification(
        db,
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        ref=ref,
        earned_on=context.parse_day(earned, "--earned"),
        now=context.now(),
    )
    Console().print(
        f"recorded {held.certification} (earned {held.earned_on or '?'}, expires {held.expires_on or '-'})",
        markup=False,
    )


@app.command("sitting")
def sitting(
    exam: str = typer.Argument(..., help="Exam code, e.g. AZ-400."),
    at: str = typer.Option(..., "--at", help="When you sat it, local time: 2026-11-01T10:00."),
    tz: str = typer.Option("UTC", "--tz", help="Time zone of --at, e.g. Europe/Paris."),
    passed: bool = typer.Option(..., "--passed/--failed", help="The result."),
    score: int = typer.Option(None, "--score", help="Scaled score 1-1000."),
) -> None:
    """Record a real exam sitting."""
    db = context.database()
    s = svc.record_sitting(
        db,
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        exam=exam,
        taken_at=local_to_utc(at, tz, "--at"),
        timezone=tz,
        passed=passed,
        score=score,
        now=context.now(),
    )
    Console().print(
        f"recorded {s.exam_code} at {s.taken_at.isoformat()} ({'passed' if s.passed else 'failed'})",
        markup=False,
    )


@app.command("book")
def book(
    exam: str = typer.Argument("AZ-400"),
    at: str = typer.Option(..., "--at", help="Local date and time of the exam: 2027-01-15T09:00."),
    tz: str = typer.Option("UTC", "--tz", help="Time zone, e.g. Europe/Paris."),
    language: str = typer.Option(
        "en",
        "--language",
        help="Exam language code: en, ja, de, pt-BR, zh-Hans... (decides the outline version).",
    ),
) -> None:
    """Book (or move) your real exam."""
    language = exam_language(language, field="--language")
    db = context.database()
    catalog = context.catalog()
    b = svc.book_exam(
        db,
        catalog=catalog,
        learner_id=context.LEARNER,
        exam=exam,
        scheduled_at=local_to_utc(at, tz, "--at"),
        timezone=tz,
        language=language,
        now=context.now(),
    )
    outline = (
        catalog.outline_for_sitting(b.exam_code, b.language, b.scheduled_at.date())
        if catalog.outline_versions(b.exam_code)
        else None
    )
    extra = f"; outline version {outline.version}" if outline else ""
    Console().print(
        f"booked {b.exam_code} at {b.scheduled_at.isoformat()} ({b.language}){extra}", markup=False
    )


@app.command("show")
def show(as_json: bool = typer.Option(False, "--json")) -> None:
    """Show everything recorded, with renewal windows."""
    db = context.database()
    p = svc.show_profile(
        db, catalog=context.catalog(), learner_id=context.LEARNER, today=context.now().date()
    )
    if as_json:
        typer.echo(json.dumps(to_plain(p), indent=2))
        return
    table = Table(title="Certifications held")
    for col in ("Certification", "Earned", "Expires", "Renewal"):
        table.add_column(col)
    renewals = dict(p.renewals)
    for h in p.held:
        table.add_row(
            h.certification,
            str(h.earned_on or "?"),
            str(h.expires_on or "-"),
            renewals[h.certification].reason,
        )
    console = Console()
    console.print(table)
    if p.extra_minutes:
        console.print(f"accommodation: {p.extra_minutes} extra minutes on every mock exam", markup=False)
    for s in p.sittings:
        console.print(
            f"sitting {s.exam_code} {s.taken_at.isoformat()} {'passed' if s.passed else 'failed'} {s.score or ''}",
            markup=False,
        )
    for b in p.bookings:
        console.print(
            f"booked {b.exam_code} {b.scheduled_at.isoformat()} ({b.timezone}, {b.language})", markup=False
        )


@app.command("retake")
def retake(exam: str = typer.Argument("AZ-400")) -> None:
    """May you sit this exam again now? (the retake policy, with its source)"""
    d = svc.check_retake(
        context.database(),
        catalog=context.catalog(),
        learner_id=context.LEARNER,
        exam=exam,
        now=context.now(),
    )
    verdict = "yes" if d.allowed else "not yet"
    when = f"; earliest {d.earliest.isoformat()}" if d.earliest else ""
    Console().print(f"{verdict}: {d.reason}{when}\nsource: {d.source}", markup=False)


@app.command("accommodation")
def accommodation(
    minutes: int = typer.Argument(..., help="Extra minutes on every mock exam (0 removes it; at most 240)."),
) -> None:
    """Record an exam accommodation: extra time that every mock exam then gives you."""
    # whoever opens the database directly is its owner, an admin
    svc.set_accommodation(
        context.database(), learner_id=context.LEARNER, minutes=minutes, now=context.now(), actor_role="admin"
    )
    Console().print(
        f"mock exams now give you {minutes} extra minutes" if minutes else "no extra time", markup=False
    )


@app.command("remove-cert")
def remove_cert(ref: str = typer.Argument(..., help="Certification id or exam code, e.g. AZ-104.")) -> None:
    """Forget a certification you recorded."""
    held = svc.remove_certification(
        context.database(), catalog=context.catalog(), learner_id=context.LEARNER, ref=ref
    )
    Console().print(f"removed {held.certification}", markup=False)


@app.command("cancel-booking")
def cancel_booking(exam: str = typer.Argument("AZ-400", help="Exam code, e.g. AZ-400.")) -> None:
    """Cancel your booking of an exam."""
    b = svc.cancel_booking(
        context.database(), catalog=context.catalog(), learner_id=context.LEARNER, exam=exam
    )
    Console().print(f"cancelled the booking of {b.exam_code} at {b.scheduled_at.isoformat()}", markup=False)

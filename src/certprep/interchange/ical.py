"""iCalendar (RFC 5545) export of study blocks, the exam appointment and certification dates, written with the
`icalendar` library, which escapes text (commas, semicolons, backslashes, newlines) and folds long lines.

Text can come from packs and is untrusted: control characters are removed before the library sees it (a newline
is kept in descriptions, where it is meaningful; elsewhere it becomes a space), and only http(s) URLs are
written (any other scheme is left out rather than handed to a calendar app as a link).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//certprep//certprep//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls, tab and newline aside


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str  # stable, e.g. "block-2026-12-08#1@certprep": a re-import updates the event
    summary: str
    start: datetime | date  # a date for an all-day event; an aware datetime otherwise
    end: datetime | date | None = None  # exclusive; None: one day (all-day) or no duration (timed)
    description: str = ""
    url: str | None = None
    categories: tuple[str, ...] = ()


def calendar_ics(events: Sequence[CalendarEvent], *, name: str = "certprep", now: datetime) -> bytes:
    """A VCALENDAR (PRODID, VERSION 2.0, X-WR-CALNAME) with one VEVENT per event, DTSTAMP = now."""
    stamp = _aware_utc(now, "now")
    calendar = Calendar.new(name=clean_line(name), prodid=PRODID, uid=f"{clean_line(name)}@certprep")
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    data: bytes = calendar.to_ical()
    return data


def _vevent(event: CalendarEvent, stamp: datetime) -> Event:
    start, end = _span(event)
    uid = clean_line(event.uid)
    if not uid:
        raise ValueError(f"calendar event {event.summary!r} has no uid")
    return Event.new(
        uid=uid,
        stamp=stamp,
        start=start,
        end=end,
        summary=clean_line(event.summary),
        description=clean_text(event.description) or None,
        url=event.url if event.url and _is_web_url(event.url) else None,
        categories=[c for c in (clean_line(c) for c in event.categories) if c],
    )


def _span(event: CalendarEvent) -> tuple[datetime | date, datetime | date | None]:
    """DTSTART and DTEND: both dates (all-day, DTEND exclusive) or both aware datetimes written in UTC."""
    if isinstance(event.start, datetime):
        start = _aware_utc(event.start, f"start of {event.uid}")
        if event.end is None:
            return start, None
        if not isinstance(event.end, datetime):
            raise ValueError(f"event {event.uid}: a timed start needs a timed end")
        end = _aware_utc(event.end, f"end of {event.uid}")
        if end < start:
            raise ValueError(f"event {event.uid} ends before it starts")
        return start, end
    end_day = event.end if event.end is not None else event.start + timedelta(days=1)
    if isinstance(end_day, datetime):
        raise ValueError(f"event {event.uid}: an all-day start needs an all-day end")
    if end_day <= event.start:
        raise ValueError(f"event {event.uid} ends before it starts (an all-day end is exclusive)")
    return event.start, end_day


def clean_text(text: str) -> str:
    """Text without control characters; newlines kept (CR LF and CR become LF), tabs become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """One line of text without control characters (a newline becomes a space)."""
    return " ".join(clean_text(text).split("\n")).strip()


def _is_web_url(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not _CONTROL.search(url) and " " not in url


def _aware_utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what}: naive datetime {moment.isoformat()}; certprep works in aware datetimes")
    return moment.astimezone(UTC)

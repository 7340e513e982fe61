"""The .ics export parses back with the icalendar library and holds the events given, with pack text made safe."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.interchange.ical import CalendarEvent, calendar_ics

NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
BLOCK = CalendarEvent(
    uid="block-2026-12-08#1@certprep",
    summary="Study: design a release strategy",
    start=date(2026, 12, 8),
    description="Read the pages, then a practice set.",
    url="https://learn.microsoft.com/en-us/azure/devops/pipelines/",
    categories=("study", "pipelines"),
)
EXAM = CalendarEvent(
    uid="exam-AZ-400@certprep",
    summary="AZ-400 exam",
    start=datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris")),
    end=datetime(2026, 12, 20, 11, 0, tzinfo=ZoneInfo("Europe/Paris")),
    categories=("exam",),
)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(data).walk("VEVENT")}


def test_calendar_parses_back_with_its_header_and_events() -> None:
    data = calendar_ics([BLOCK, EXAM], name="AZ-400 plan", now=NOW)
    cal = parse(data)
    assert str(cal["VERSION"]) == "2.0"
    assert "certprep" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "AZ-400 plan"
    assert data.count(b"BEGIN:VEVENT") == 2
    assert b"\r\n" in data  # RFC 5545 line endings

    by_uid = events(data)
    assert set(by_uid) == {BLOCK.uid, EXAM.uid}
    block, exam = by_uid[BLOCK.uid], by_uid[EXAM.uid]
    assert block.decoded("DTSTAMP") == NOW

    # all-day: dates, one day long (DTEND exclusive)
    assert block.decoded("DTSTART") == date(2026, 12, 8)
    assert not isinstance(block.decoded("DTSTART"), datetime)
    assert block.decoded("DTEND") == date(2026, 12, 9)
    assert str(block["SUMMARY"]) == BLOCK.summary
    assert str(block["DESCRIPTION"]) == BLOCK.description
    assert str(block["URL"]) == BLOCK.url
    assert list(block.categories) == ["study", "pipelines"]

    # timed: written in UTC
    assert exam.decoded("DTSTART") == datetime(2026, 12, 20, 8, 0, tzinfo=UTC)
    assert exam.decoded("DTEND") == datetime(2026, 12, 20, 10, 0, tzinfo=UTC)
    assert b"DTSTART:20261220T080000Z" in data
    assert "DESCRIPTION" not in exam and "URL" not in exam


def test_same_events_give_the_same_bytes() -> None:
    assert calendar_ics([BLOCK, EXAM], now=NOW) == calendar_ics([BLOCK, EXAM], now=NOW)


def test_empty_calendar_is_still_valid() -> None:
    cal = parse(calendar_ics([], now=NOW))
    assert cal.walk("VEVENT") == [] and str(cal["X-WR-CALNAME"]) == "certprep"


def test_timed_event_without_end_and_multi_day_all_day_event() -> None:
    data = calendar_ics(
        [
            CalendarEvent(
                uid="retake@certprep", summary="Earliest retake", start=datetime(2027, 1, 5, tzinfo=UTC)
            ),
            CalendarEvent(
                uid="renewal@certprep",
                summary="Renewal window",
                start=date(2027, 6, 1),
                end=date(2027, 6, 4),
            ),
        ],
        now=NOW,
    )
    by_uid = events(data)
    assert "DTEND" not in by_uid["retake@certprep"]
    assert by_uid["renewal@certprep"].decoded("DTEND") == date(2027, 6, 4)


def test_control_characters_are_stripped_and_text_with_separators_round_trips() -> None:
    nasty = CalendarEvent(
        uid="block-1@certprep\x00",
        summary="Gates, approvals; checks\x1b[31m\x07\nand more",
        start=date(2026, 12, 9),
        description="Line one, with commas; and semicolons\r\nline two\\ backslash\x00\x1b]0;title\x07\tend",
        categories=("a,b", "c;d", "\x1b"),
    )
    data = calendar_ics([nasty], now=NOW)
    assert b"\x1b" not in data and b"\x00" not in data and b"\x07" not in data
    event = events(data)["block-1@certprep"]
    assert str(event["SUMMARY"]) == "Gates, approvals; checks[31m and more"
    assert str(event["DESCRIPTION"]) == (
        "Line one, with commas; and semicolons\nline two\\ backslash]0;title end"
    )
    assert list(event.categories) == ["a,b", "c;d"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "https://x.y/a b", "data:text/html,x"]
)
def test_only_web_urls_are_written(url: str) -> None:
    data = calendar_ics(
        [CalendarEvent(uid="u@certprep", summary="s", start=date(2026, 12, 9), url=url)], now=NOW
    )
    assert "URL" not in events(data)["u@certprep"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 12, 9, 10), None, "naive datetime"),
        (datetime(2026, 12, 9, 10, tzinfo=UTC), date(2026, 12, 10), "a timed start needs a timed end"),
        (date(2026, 12, 9), datetime(2026, 12, 10, tzinfo=UTC), "an all-day start needs an all-day end"),
        (date(2026, 12, 9), date(2026, 12, 9), "ends before it starts"),
        (
            datetime(2026, 12, 9, 10, tzinfo=UTC),
            datetime(2026, 12, 9, 9, tzinfo=UTC),
            "ends before it starts",
        ),
    ],
)
def test_inconsistent_times_are_a_bug(start: date, end: date | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calendar_ics([CalendarEvent(uid="u@certprep", summary="s", start=start, end=end)], now=NOW)


def test_naive_now_and_empty_uid_are_bugs() -> None:
    with pytest.raises(ValueError, match="naive"):
        calendar_ics([], now=datetime(2026, 12, 6))
    with pytest.raises(ValueError, match="no uid"):
        calendar_ics([CalendarEvent(uid="\x00", summary="s", start=date(2026, 12, 9))], now=NOW)


@given(st.text(max_size=200), st.text(max_size=80))
def test_any_text_round_trips_without_control_characters(description: str, summary: str) -> None:
    data = calendar_ics(
        [CalendarEvent(uid="u@certprep", summary=summary, start=date(2026, 12, 9), description=description)],
        now=NOW,
    )
    event = events(data)["u@certprep"]
    for value in (str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))):
        assert not any((ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in value)
    assert "\n" not in str(event.get("SUMMARY", ""))
    expected = description.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    expected = "".join(ch for ch in expected if ch == "\n" or not (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F))
    assert str(event.get("DESCRIPTION", "")) == expected

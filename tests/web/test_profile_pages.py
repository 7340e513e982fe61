"""The profile page's forms and the /api/v1/profile JSON twin, in process on a real SQLite file: every success
redirects back to /profile, every refusal shows its message next to the field (4xx) and writes nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from certprep.config import Settings
from certprep.db.tables import BookingRow, CredentialRow, SittingRow
from certprep.web import create_app
from tests.signin import sign_in

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite3'}", data_dir=tmp_path), now=lambda: NOW
    )
    with TestClient(app) as c:
        sign_in(c)
        yield c


def rows(client: TestClient) -> tuple[int, int, int]:
    """Credentials, sittings and bookings stored, to show that a refusal wrote nothing."""
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.transaction() as s:
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (CredentialRow, SittingRow, BookingRow)
        )


def field_error(page: str, field_id: str) -> str:
    """The message shown next to a field, checking it is tied to the control (aria-describedby, role=alert)."""
    control = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', page)
    assert control is not None, field_id
    assert f"{field_id}-error" in control.group(0) and 'aria-invalid="true"' in control.group(0)
    message = re.search(rf'<p class="field-error" id="{field_id}-error" role="alert">(.*?)</p>', page, re.S)
    assert message is not None
    return html.unescape(message.group(1))


def value_of(page: str, field_id: str) -> str:
    control = re.search(rf'<input[^>]*id="{field_id}"[^>]*value="([^"]*)"', page)
    assert control is not None
    return html.unescape(control.group(1))


def post(client: TestClient, url: str, data: dict[str, str]) -> tuple[int, str]:
    r = client.post(url, data=data, follow_redirects=False)
    return r.status_code, r.text


# The page -------------------------------------------------------------------------------------------------------


def test_empty_profile_page_has_every_form(client: TestClient) -> None:
    r = client.get("/profile")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    page = r.text
    assert page.count("None recorded yet") == 2 and "No exam booked or sat yet" in page
    for action in ("/profile/certifications", "/profile/booking", "/profile/sittings"):
        assert f'action="{action}"' in page
    for fid in (
        "cert-certification",
        "cert-earned_on",
        "booking-scheduled_at",
        "sitting-taken_at",
        "sitting-score",
    ):
        assert f'<label for="{fid}">' in page
    assert "<script" not in page.split("</head>")[1] and "style=" not in page


def test_add_certification_then_remove_it(client: TestClient) -> None:
    r = client.post(
        "/profile/certifications",
        data={"certification": "AZ-104", "earned_on": "2026-03-01"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/profile?saved=certification"
    page = client.get(r.headers["location"]).text
    assert 'role="status">Certification recorded.' in page
    assert "Azure Administrator Associate" in page and "2027-03-01" in page
    assert "Renewal is open until 2027-03-01." in page and "Window opens 2026-09-01" in page
    assert rows(client) == (1, 0, 0)
    status, _ = post(client, "/profile/certifications/azure-administrator-associate/remove", {})
    assert status == 303 and rows(client) == (0, 0, 0)
    status, page = post(client, "/profile/certifications/azure-administrator-associate/remove", {})
    assert (
        status == 404
        and 'class="error" role="alert">Microsoft Certified: Azure Administrator Associate is not among'
        in page
    )


def test_retired_certification_is_shown_retired(client: TestClient) -> None:
    post(client, "/profile/certifications", {"certification": "AZ-204", "earned_on": "2026-05-01"})
    page = client.get("/profile").text
    assert "state-retired" in page and "Retired on" in page and "successor:" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"certification": "", "earned_on": ""}, "certification", "a certification is required"),
        ({"certification": "XX-1", "earned_on": ""}, "certification", "unknown certification or exam 'XX-1'"),
        (
            {"certification": "AZ-104", "earned_on": "01/03/2026"},
            "earned_on",
            "'01/03/2026' is not a date like",
        ),
        ({"certification": "AZ-104", "earned_on": "2027-01-01"}, "earned_on", "is in the future"),
        ({"certification": "X" * 101, "earned_on": ""}, "certification", "at most 100 characters"),
    ],
)
def test_add_certification_refusals(
    client: TestClient, data: dict[str, str], field: str, message: str
) -> None:
    status, page = post(client, "/profile/certifications", data)
    assert status == 400
    assert message in field_error(page, f"cert-{field}")
    if field == "earned_on":
        assert value_of(page, "cert-earned_on") == data["earned_on"]  # the value typed is kept
        assert re.search(r'<option value="azure-administrator-associate" selected>AZ-104:', page)
    assert rows(client) == (0, 0, 0)


def test_record_a_failed_sitting(client: TestClient) -> None:
    data = {
        "exam": "AZ-400",
        "taken_at": "2026-11-26T10:00",
        "timezone": "Europe/Paris",
        "result": "failed",
        "score": "640",
    }
    status, _ = post(client, "/profile/sittings", data)
    assert status == 303 and rows(client) == (0, 1, 0)
    page = client.get("/profile").text
    assert "2026-11-26 10:00 (Europe/Paris)" in page and "result-failed" in page and "640" in page
    assert "After a first failure, wait 24 hours" in page and "not yet" in page
    assert "2026-11-27 09:00 (UTC)" in page  # the earliest retake: 24 hours after 09:00 UTC


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"exam": ""}, "exam", "an exam is required"),
        ({"exam": "XX-1"}, "exam", "unknown certification or exam 'XX-1'"),
        ({"taken_at": ""}, "taken_at", "the date and time is required"),
        ({"taken_at": "last friday"}, "taken_at", "'last friday' is not a date and time"),
        ({"taken_at": "2026-12-24T10:00"}, "taken_at", "is in the future"),
        ({"timezone": "Mars/Olympus"}, "timezone", "'Mars/Olympus' is not a known time zone"),
        ({"timezone": "Z" * 65}, "timezone", "at most 64 characters"),
        ({"timezone": ""}, "timezone", "a time zone is required"),
        ({"score": "seven hundred"}, "score", "'seven hundred' is not a whole number"),
        ({"score": "2000"}, "score", "score must be between 1 and 1000"),
        ({"score": "812"}, "score", "a score of 812 is a pass"),
    ],
)
def test_record_sitting_refusals(
    client: TestClient, change: dict[str, str], field: str, message: str
) -> None:
    data = {
        "exam": "AZ-400",
        "taken_at": "2026-11-20T10:00",
        "timezone": "UTC",
        "result": "failed",
        "score": "",
        **change,
    }
    status, page = post(client, "/profile/sittings", data)
    assert status == 400
    assert message in field_error(page, f"sitting-{field}")
    if field != "exam":
        assert value_of(page, f"sitting-{field}") == data[field]
    assert rows(client) == (0, 0, 0)


def test_sitting_without_a_result_says_so_in_the_result_group(client: TestClient) -> None:
    data = {"exam": "AZ-400", "taken_at": "2026-11-20T10:00", "timezone": "UTC", "score": "640"}
    status, page = post(client, "/profile/sittings", data)
    assert status == 400 and 'aria-describedby="sitting-result-error"' in page
    assert 'id="sitting-result-error" role="alert">choose passed or failed</p>' in page
    assert value_of(page, "sitting-score") == "640" and rows(client) == (0, 0, 0)


def test_book_move_and_cancel(client: TestClient) -> None:
    data = {
        "exam": "AZ-400",
        "scheduled_at": "2027-01-15T09:00",
        "timezone": "Europe/Paris",
        "language": "en",
    }
    status, _ = post(client, "/profile/booking", data)
    assert status == 303 and rows(client) == (0, 0, 1)
    page = client.get("/profile").text
    assert "booked for 2027-01-15 09:00 (Europe/Paris)" in page and "50 days left" in page
    assert "skills outline of 2026-07-27" in page
    assert value_of(page, "booking-scheduled_at") == "2027-01-15T09:00"  # the form shows the booking to move
    status, _ = post(client, "/profile/booking", {**data, "scheduled_at": "2026-12-01T09:00"})
    assert status == 303 and rows(client) == (0, 0, 1)
    assert "5 days left" in client.get("/profile").text
    status, _ = post(client, "/profile/booking/cancel", {"exam": "AZ-400"})
    assert status == 303 and rows(client) == (0, 0, 0)
    status, page = post(client, "/profile/booking/cancel", {"exam": "AZ-400"})
    assert status == 404 and 'role="alert">no booking of AZ-400 to cancel' in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scheduled_at": "2026-11-01T09:00"}, "scheduled_at", "is not in the future"),
        ({"scheduled_at": "15/01/2027"}, "scheduled_at", "'15/01/2027' is not a date and time"),
        ({"timezone": "Europe/Pariss"}, "timezone", "'Europe/Pariss' is not a known time zone"),
        ({"language": ""}, "language", "a language is required"),
        ({"language": "l" * 17}, "language", "at most 16 characters"),
        ({"exam": "AZ-204"}, "exam", "retired"),
    ],
)
def test_booking_refusals(client: TestClient, change: dict[str, str], field: str, message: str) -> None:
    data = {
        "exam": "AZ-400",
        "scheduled_at": "2027-01-15T09:00",
        "timezone": "UTC",
        "language": "en",
        **change,
    }
    status, page = post(client, "/profile/booking", data)
    assert status == 400
    assert message in field_error(page, f"booking-{field}")
    assert rows(client) == (0, 0, 0)


def test_typed_values_are_escaped_when_shown_again(client: TestClient) -> None:
    status, page = post(
        client,
        "/profile/booking",
        {"exam": "AZ-400", "scheduled_at": '"><script>x</script>', "timezone": "UTC", "language": "en"},
    )
    assert status == 400 and "<script>x" not in page and "&#34;&gt;&lt;script&gt;" in page


def test_page_and_api_share_the_profile(client: TestClient) -> None:
    post(client, "/profile/certifications", {"certification": "AZ-104", "earned_on": ""})
    held = client.get("/api/v1/profile").json()["held"]
    assert [h["exam"] for h in held] == ["AZ-104"] and held[0]["earned_on"] is None
    assert held[0]["renewal"]["state"] == "unknown"


# The JSON API ---------------------------------------------------------------------------------------------------


def test_api_round_trip(client: TestClient) -> None:
    assert client.get("/api/v1/profile").json() == {
        "learner_id": "local",
        "held": [],
        "sittings": [],
        "exams": [],
        "extra_minutes": 0,
    }
    r = client.post(
        "/api/v1/profile/certifications", json={"certification": "AZ-104", "earned_on": "2026-03-01"}
    )
    assert r.status_code == 201
    assert r.json() == {
        "certification": "azure-administrator-associate",
        "earned_on": "2026-03-01",
        "expires_on": "2027-03-01",
    }
    r = client.post(
        "/api/v1/profile/sittings",
        json={
            "exam": "AZ-400",
            "taken_at": "2026-11-20T10:00",
            "timezone": "Europe/Paris",
            "passed": True,
            "score": 810,
        },
    )
    assert r.status_code == 201 and r.json()["taken_at"] == "2026-11-20T09:00:00Z"
    r = client.put(
        "/api/v1/profile/booking",
        json={"exam": "AZ-400", "scheduled_at": "2027-01-15T09:00", "timezone": "Europe/Paris"},
    )
    assert r.status_code == 200 and r.json()["scheduled_at"] == "2027-01-15T08:00:00Z"
    p = client.get("/api/v1/profile").json()
    assert {h["exam"] for h in p["held"]} == {"AZ-104", "AZ-400"}  # the pass granted the Expert certification
    (exam,) = p["exams"]
    assert (
        exam["days_left"] == 50
        and exam["retake"]["rule"] == "passed-and-valid"
        and not exam["retake"]["allowed"]
    )
    r = client.delete("/api/v1/profile/certifications/AZ-104")
    assert r.status_code == 200 and r.json()["certification"] == "azure-administrator-associate"
    assert client.delete("/api/v1/profile/booking", params={"exam": "AZ-400"}).status_code == 200
    assert rows(client) == (1, 1, 0)


def test_api_refusals_write_nothing(client: TestClient) -> None:
    r = client.delete("/api/v1/profile/certifications/AZ-104")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.delete("/api/v1/profile/booking")
    assert r.status_code == 404 and "no booking of AZ-400" in r.json()["error"]["message"]
    r = client.post("/api/v1/profile/certifications", json={"certification": "XX-1"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_reference"
    r = client.post("/api/v1/profile/certifications", json={"certification": "AZ-104", "extra": 1})
    assert r.status_code == 422
    r = client.post("/api/v1/profile/certifications", json={"certification": "AZ-104", "earned_on": "soon"})
    assert r.status_code == 422
    r = client.post(
        "/api/v1/profile/sittings",
        json={"exam": "AZ-400", "taken_at": "2026-11-20T10:00", "timezone": "Mars/Olympus", "passed": False},
    )
    assert r.status_code == 400 and r.json()["error"]["data"]["field"] == "timezone"
    r = client.post(
        "/api/v1/profile/sittings",
        json={"exam": "AZ-400", "taken_at": "2026-11-20T10:00", "passed": False, "score": 0},
    )
    assert r.status_code == 422
    r = client.put("/api/v1/profile/booking", json={"scheduled_at": "2026-01-15T09:00"})
    assert r.status_code == 400 and r.json()["error"]["data"]["field"] == "scheduled_at"
    r = client.put("/api/v1/profile/booking", json={"scheduled_at": "2027-01-15T09:00", "language": "x" * 17})
    assert r.status_code == 422
    assert rows(client) == (0, 0, 0)


def test_api_is_documented(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/profile/booking"]) == {"put", "delete"}
    assert "/api/v1/profile/certifications/{cert}" in paths and "/api/v1/profile/sittings" in paths
    assert "/profile" not in paths


def test_form_addresses_lead_back_to_the_page(client: TestClient) -> None:
    for url in ("/profile/certifications", "/profile/sittings", "/profile/booking"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/profile"
    r = client.post("/profile/booking", data={"exam": "AZ-400"})
    assert (
        r.status_code == 400 and r.headers["HX-Replace-Url"] == "/profile"
    )  # boosted: the address stays /profile

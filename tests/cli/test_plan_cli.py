"""`certprep plan`, `today`, `review` and `export anki` in process (a real SQLite file in a temporary data dir)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from certprep.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_today_and_done(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "plan")
    assert code == 1 and "no plan yet" in err
    code, out, _ = run(capsys, "plan", "--preset", "balanced", "--hours", "2")  # every day, today too
    assert code == 0 and "Study blocks" in out and "mock exam" in out and "EXAM" in out
    code, out, _ = run(capsys, "plan", "--json")
    plan = json.loads(out)
    first = plan["blocks"][0]["id"]
    code, out, _ = run(capsys, "today")
    assert code == 0 and "days to the exam" in out and "review" in out
    code, out, _ = run(capsys, "plan", "--done", first)
    assert code == 0
    code, out, _ = run(capsys, "plan", "--json")
    assert json.loads(out)["done"] == [first]
    code, out, _ = run(capsys, "plan", "--replan", "--json")
    assert code == 0 and first in json.loads(out)["done"]
    ics = tmp_path / "plan.ics"
    code, out, _ = run(capsys, "plan", "--ics", str(ics))
    assert code == 0 and ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_plan_refusals_name_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "--hours", "lots")
    assert code == 1 and "--hours 'lots'" in err
    code, _, err = run(capsys, "plan", "--exam-date", "soon")
    assert code == 1 and "--exam-date 'soon' is not a date" in err
    code, _, err = run(capsys, "plan", "--retake", "processes")
    assert code == 1 and "group=percent" in err
    code, _, err = run(capsys, "plan", "--preset", "lazy")
    assert code == 1 and "unknown preset 'lazy'" in err


def test_a_review_session_in_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["", "3", "", "x", "1", "q"])  # reveal, good; reveal, a bad key then again; stop
    monkeypatch.setattr("builtins.input", lambda _prompt="": next(answers))
    code, out, _ = run(capsys, "review")
    assert code == 0 and "2 cards reviewed." in out and "next review" in out
    code, _, err = run(capsys, "review", "--retention", "0.2")
    assert code == 1 and "retention" in err


def test_export_anki(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "certprep.apkg"
    code, out, _ = run(capsys, "export", "anki", str(path))
    assert code == 0 and "notes written" in out
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
    code, _, err = run(capsys, "export", "anki", str(tmp_path / "deck.txt"))
    assert code == 1 and ".apkg" in err

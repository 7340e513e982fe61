"""`certprep cards` and `certprep profile remove-cert / cancel-booking`, in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certprep.cli import cards_cmd, main
from certprep.cli.app import app
from certprep.domain.items import Bank, Flashcard, Source
from certprep.services.content import get_bank, get_catalog


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cards_by_group_in_outline_order() -> None:
    result = CliRunner().invoke(app, ["cards", "--group", "instrumentation"])
    assert result.exit_code == 0, result.output
    out = result.output
    group = next(g for g in get_catalog().outline("AZ-400").groups if g.id == "instrumentation")
    ids = {o.id for o in group.objectives}
    assert out.count("\nQ: ") == sum(c.objective in ids for c in get_bank().flashcards) > 0
    assert "== 5 Implement an instrumentation strategy" in out and "-- 5.1.1 " in out
    assert "source: https://" in out and "Scheduled review comes with the study planner." in out
    assert "== 4 " not in out


def test_cards_json_matches_the_api_shape() -> None:
    result = CliRunner().invoke(app, ["cards", "--objective", "key-vault", "--json"])
    data = json.loads(result.output)
    assert data["objective"] == "key-vault" and data["cards"]
    assert {c["objective"] for c in data["cards"]} == {"key-vault"}


def test_cards_unknown_group_names_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cards", "--group", "devops")
    assert code == 1 and out == ""
    assert "error: unknown functional group 'devops'; choose one of: processes, source-control" in err


def test_card_text_reaches_the_terminal_without_escape_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    real = get_bank().flashcards[0]
    evil = Flashcard(
        "x",
        real.objective,
        "Front \x1b]8;;https://evil\x1b\\[bold]b[/bold]",
        "Back\x07",
        (Source("https://a", real.sources[0].checked),),
    )
    monkeypatch.setattr(cards_cmd.context, "bank", lambda: Bank(items=(), flashcards=(evil,)))
    result = CliRunner().invoke(app, ["cards"])
    assert result.exit_code == 0 and "\x1b" not in result.output and "\x07" not in result.output
    assert "[bold]b[/bold]" in result.output


def test_remove_cert_and_cancel_booking(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "profile", "add-cert", "AZ-104", "--earned", "2026-03-01")[0] == 0
    code, out, _ = run(capsys, "profile", "remove-cert", "az-104")
    assert code == 0 and "removed azure-administrator-associate" in out
    code, _, err = run(capsys, "profile", "remove-cert", "AZ-104")
    assert code == 1 and "is not among your certifications" in err
    assert run(capsys, "profile", "book", "--at", "2099-01-15T09:00", "--tz", "Europe/Paris")[0] == 0
    code, out, _ = run(capsys, "profile", "cancel-booking")
    assert code == 0 and "cancelled the booking of AZ-400 at 2099-01-15T08:00:00+00:00" in out
    code, _, err = run(capsys, "profile", "cancel-booking", "AZ-400")
    assert code == 1 and "no booking of AZ-400 to cancel" in err
    code, out, _ = run(capsys, "profile", "show", "--json")
    assert json.loads(out)["held"] == [] and json.loads(out)["bookings"] == []

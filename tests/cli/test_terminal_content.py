"""Pack text reaches the terminal as the characters it is: Rich markup is not interpreted, escape sequences and
control characters are stripped, in items, options, statements, feedback and the report's item review. The items
are real pack files with crafted text, loaded through the pack reader (CERTPREP_PACK_DIR)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from certprep.cli.text import clean, first_line, safe
from certprep.services.content import builtin_pack_path
from tests.cli.conftest import Learner

MARKUP = "[link=http://x]click[/link] and [bold]loud[/bold]"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07hidden\x1b]8;;\x07 \x07bell \x9b5mC1 \x08back"


def _crafted_pack(root: Path) -> Path:
    pack = root / "az-400"
    shutil.copytree(builtin_pack_path(), pack)
    items = pack / "items" / "pipelines"
    hot = items / "feature-flags-app-configuration" / "time-window-and-targeting-flag.md"
    text = hot.read_text()
    text = text.replace("        text: All\n", f'        text: "{MARKUP} All \\e[5mblink"\n', 1)
    text = text.replace("An online shop stores", f"{MARKUP} {ESCAPES} An online shop stores", 1)
    hot.write_text(
        text.replace('explanation: "Feature filters', 'explanation: "\\e[2J[red]Feature filters', 1)
    )
    series = items / "desired-state-configuration" / "baseline-enforcement-series.md"
    text = series.read_text().replace(
        'text: "Solution: Onboard', f'text: "Solution: {MARKUP} \\e[31m Onboard', 1
    )
    series.write_text(text)
    return pack


def _literal(out: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), "a control character reached the terminal"
    assert MARKUP in out


@pytest.fixture
def crafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pack = _crafted_pack(tmp_path)
    monkeypatch.setenv("CERTPREP_PACK_DIR", str(pack))
    return pack


def test_a_hot_area_item_with_markup_and_escapes_prints_literally(crafted: Path, learner: Learner) -> None:
    args = (
        "practice",
        "--objective",
        "feature-flags-app-configuration",
        "--type",
        "hot-area",
        "--count",
        "1",
    )
    code, out, err = learner.types("1=A 2=A", "").run(*args)
    assert code == 0 and err == ""
    _literal(out)
    assert re.search(rf"blank 1: .*[A-C]\. {re.escape(MARKUP)} All blink", out)  # the choice under the prompt
    assert "red hidden bell 5mC1 back An online shop stores" in out  # the prompt, sequences gone
    assert "[red]Feature filters" in out  # the explanation in the feedback
    aid = re.search(r"Score report · practice ([0-9a-f]{16})", out).group(1)  # type: ignore[union-attr]
    code, out, _ = learner.run("report", aid)
    assert code == 0
    _literal(out)
    assert (
        re.search(rf"Blank 1: [A-C]\. {re.escape(MARKUP)} All blink", out)
        and "Why: [red]Feature filters" in out
    )


def test_a_yes_no_statement_with_markup_prints_literally(crafted: Path, learner: Learner) -> None:
    args = ("practice", "--objective", "desired-state-configuration", "--type", "yes-no", "--count", "3")
    code, out, _ = learner.answers(10).run(*args)
    assert code == 0 and "Score report · practice" in out
    _literal(out)
    assert f"Solution: {MARKUP}  Onboard" in out
    aid = re.search(r"Score report · practice ([0-9a-f]{16})", out).group(1)  # type: ignore[union-attr]
    _, out, _ = learner.run("report", aid)
    _literal(out)
    assert f"Statement: Solution: {MARKUP}  Onboard" in out


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("a\x1b[31mb\x1b[0m", "ab"),
        ("\x1b]8;;http://x\x07link\x1b]8;;\x1b\\", "link"),
        ("tab\tand\nnewline\r\n", "tab\tand\nnewline\n"),
        ("\x00\x07\x7f\x85\x9b", ""),
        ("[bold]x[/bold]", "[bold]x[/bold]"),
    ],
)
def test_clean_strips_sequences_and_control_characters(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_safe_escapes_markup_and_first_line_skips_fences() -> None:
    from rich.console import Console

    console = Console(width=100, record=True, force_terminal=False)
    console.print(safe("[link=http://x]click[/link] [bold]b\x1b[1m"))
    assert console.export_text().strip() == "[link=http://x]click[/link] [bold]b"
    assert first_line("\n```yaml\nsteps:\n```") == "steps:"
    assert first_line("x" * 200, width=10) == "x" * 9 + "…"

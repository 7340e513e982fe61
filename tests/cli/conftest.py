"""CLI test helpers: a fresh data folder per test, and a scripted learner at the keyboard (input is the true edge:
everything behind it, services and a real SQLite file, runs for real)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from certprep.cli import main, terminal_exam


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    monkeypatch.delenv("CERTPREP_PACK_DIR", raising=False)
    return tmp_path


Line = (
    str | BaseException | Callable[[], str] | None
)  # None: answer what is on screen; a callable: run it, type its result


def reply_for(screen: str) -> str:
    """What a learner would type for the screen (a well-formed answer, right or wrong, or Enter at a question)."""
    if re.search(r"\[Y/n\] $|\(enter to continue\) $", screen):
        return ""
    if "Does the solution meet the goal" in screen:
        return "y"
    if m := re.search(r"(?:choose|place) (\d)", screen):
        return " ".join("ABCDEF"[: int(m.group(1))])
    if "pairs target=value" in screen:
        return "1=A"
    if "pairs blank=choice" in screen:
        return "1=A 2=A"
    return "A"


class Learner:
    """Types scripted lines (an exception is raised at that prompt: Ctrl-C is KeyboardInterrupt; None answers what
    is on screen), or lets `reply_for` answer every prompt; past the script, input ends (EOFError)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys, self.script, self.screen = capsys, list[Line](), ""
        self.replies = 0
        self.shown: list[str] = []
        monkeypatch.setattr(terminal_exam.console, "width", 200)
        monkeypatch.setattr("builtins.input", self.input)

    def types(self, *lines: Line) -> Learner:
        self.script, self.replies = list(lines), 0
        return self

    def answers(self, replies: int) -> Learner:
        """Answer the next `replies` prompts from what is on screen."""
        self.script, self.replies = [], replies
        return self

    def input(self, prompt: str = "") -> str:
        self.screen = self.capsys.readouterr().out
        self.shown.append(self.screen)
        if self.replies:
            self.replies -= 1
            return reply_for(self.screen)
        if not self.script:
            raise EOFError
        line = self.script.pop(0)
        if isinstance(line, BaseException):
            raise line
        if callable(line):
            return line()
        return reply_for(self.screen) if line is None else line

    def run(self, *args: str) -> tuple[int, str, str]:
        """`certprep ARGS` in process: the exit code, all it printed (stdout), and stderr."""
        self.shown.clear()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return code, "".join(self.shown) + out, err


@pytest.fixture
def learner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Learner:
    return Learner(capsys, monkeypatch)


Typing = Callable[..., Learner]

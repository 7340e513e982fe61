"""A terminal exam driven end to end through a pseudo-terminal: real keystrokes in, the screen read back."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def reply_for(screen: str) -> str:
    """What a learner would type for the item on screen (a well-formed answer, right or wrong)."""
    if "Does the solution meet the goal" in screen:
        return "y"
    if m := re.search(r"(?:choose|place) (\d)", screen):
        return " ".join("ABCDEF"[: int(m.group(1))])
    if "pairs target=value" in screen:
        return "1=A"
    if "pairs blank=choice" in screen:
        assert "[[blank:" not in screen and re.search(r"\[1: ____\]", screen)
        return "1=A"
    return "A"


def test_terminal_exam_end_to_end(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CERTPREP_DATA_DIR": str(tmp_path),
        "TERM": "dumb",
        "NO_COLOR": "1",
        "COLUMNS": "160",
        "LINES": "60",
    }
    env.pop("CERTPREP_DATABASE_URL", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "certprep", "exam", "--items", "40", "--seed", "5"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(60, 160),
    )
    screens: list[str] = []

    def until(pattern: str) -> str:
        child.expect(pattern)
        text = ANSI.sub("", (child.before or "") + (child.after if isinstance(child.after, str) else ""))
        screens.append(text)
        return text

    first = until(r"\n> ")
    assert "Mock exam" in first and "Item 1 of" in first and "left" in first
    child.sendline(":m")
    assert "marked" in until(r"\n> ")
    screen = screens[-1]
    for _ in range(3):
        child.sendline(reply_for(screen))
        screen = until(r"\n> ")
        assert "recorded" in screen
    child.sendline(":r")
    review = until(r"\n> ")
    row = next(line for line in review.splitlines() if re.match(r"│ 1\s+│", line))
    assert "Review: section 1" in review and row.count("yes") == 2  # item 1: answered and marked
    child.sendline(":l")
    until(r"\[y/N\] ")
    child.sendline("y")
    case = until(r"\n> ")
    assert re.search(r"Item \d+ of \d+ · ", case) and ("Overview" in case or "Requirements" in case)
    child.sendline(":s")
    until(r"\[y/N\] ")
    child.sendline("y")
    report = until(pexpect.EOF)
    assert "Score report" in report and "scaled score" in report and ("PASS" in report or "FAIL" in report)
    assert "Readiness: predicted score" in report or "Readiness: not enough evidence yet" in report
    child.close()
    assert child.exitstatus == 0

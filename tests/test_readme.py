"""The README's Quick start: two commands, each in an environment of its own, and CI runs both verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = re.compile(r"python3 -m venv (\S+)")
ENV_USE = re.compile(r"(?:^|\s)(\.?[\w.-]+)/bin/")


def quick_start_commands(readme: str) -> list[str]:
    """The shell commands of the README's Quick start section, one per fenced block."""
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.strip().splitlines() if line.strip()]


def environment_of(command: str) -> str:
    """The one environment directory a command creates and uses; fails if it touches several."""
    created = VENV.findall(command)
    used = set(ENV_USE.findall(command))
    assert len(created) == 1, f"expected one `python3 -m venv DIR` in {command!r}"
    assert used == set(created), f"{command!r} creates {created} but runs programs from {sorted(used)}"
    return str(created[0])


def test_quick_start_has_two_independent_commands() -> None:
    commands = quick_start_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2, commands
    run, test = commands
    assert run.endswith("certprep serve") and "pytest" in test
    assert environment_of(run) != environment_of(test)
    # The run command installs a copy (not editable), so the test command's editable install cannot replace it.
    assert "pip install . " in run and "-e" not in run.split()


def test_ci_runs_both_readme_commands_verbatim() -> None:
    run, test = quick_start_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
    assert f"'{run}'" in ci
    # The server is started before the tests and probed again after them.
    assert ci.index(run) < ci.index(test) < ci.rindex("probe ||")


def test_environment_parsing_catches_a_shared_environment() -> None:
    shared = "python3 -m venv .venv && .venv-run/bin/pip install . && .venv/bin/certprep serve"
    try:
        environment_of(shared)
    except AssertionError as e:
        assert ".venv-run" in str(e)
    else:
        raise AssertionError("a command using two environments was accepted")
    assert environment_of("python3 -m venv .venv-run && .venv-run/bin/certprep serve") == ".venv-run"

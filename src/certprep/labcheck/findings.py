"""Findings: what `certprep lint` and the lab checks report about a file, at a line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file; line and column count from 1 (0 when the whole file is meant)."""

    path: str
    line: int
    column: int
    message: str
    rule: str
    severity: Severity = "error"

    def text(self) -> str:
        """The editor-friendly line: `path:line:column: message [rule]`."""
        where = f"{self.path}:{self.line}:{self.column}"
        tag = self.rule if self.severity == "error" else f"{self.rule}, warning"
        return f"{where}: {self.message} [{tag}]"

    def as_json(self) -> dict[str, str | int]:
        """A plain dict for `--json` output and reports."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "rule": self.rule,
            "severity": self.severity,
        }


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in file order, duplicates (same place, same message) removed."""
    unique = {(f.path, f.line, f.column, f.message, f.rule): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.path, f.line, f.column, f.rule, f.message))

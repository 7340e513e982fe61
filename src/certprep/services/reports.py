"""The stored score report as a typed value: what `submit_attempt` and `get_report` give every face.

A report is a snapshot, stored as plain JSON when the attempt ends (`domain.report.build_report` plus the pass/fail
and the readiness estimated at that moment). Faces receive it parsed into these models, so the web page, the
terminal and the JSON API read the same named fields and the API's schema documents every level of it. The
groups, the objectives to revisit and the reviewed items are the domain's own dataclasses (`domain.report`),
validated from the stored JSON, so their fields are declared once. Unknown top-level keys are kept
(`extra="allow"`): a snapshot written by a newer method version still reads, and re-serialises whole.

Three parts stay plain on purpose, each said where it is declared: an item's `shown`, `answer` and `revealed`
(their shape is the item type's: choices, blanks, targets, statements) and `readiness`, whose stored form has
changed over time and is read by `domain.readiness.readiness_sentence`, which knows every version.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from certprep.domain.report import GroupBar, ReportItem, Revisit


class ScoreReport(BaseModel):
    """A submitted attempt's report; `scaled`, `passed` and `cut` only for full mock exams (`is_scaled`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    attempt_id: str
    mode: str
    method_version: str
    outline: str
    submitted_at: str
    expired: bool
    raw: int
    max_raw: int
    cut: float | None = None
    scaled: int | None = None
    passed: bool | None = None
    groups: list[GroupBar]
    revisit: list[Revisit]
    items: list[ReportItem]
    readiness: dict[str, Any] | None = None  # the stored plain form; see the module docstring

    @property
    def share(self) -> float:
        """Points earned as a fraction of the points available."""
        return self.raw / self.max_raw if self.max_raw else 0.0


def score_report(content: dict[str, Any]) -> ScoreReport:
    """A stored snapshot, parsed (a snapshot that is not a report is a defect, so it raises)."""
    return ScoreReport.model_validate(content)

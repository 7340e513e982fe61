"""The lab score rule and the evidence rule: bounds, monotonicity, completeness, argument checking."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certprep.domain.labs import (
    Check,
    CheckResult,
    Lab,
    LabReport,
    args_problems,
    combine_mastery,
    lab_evidence,
    lab_score,
    score_report,
)

weights = st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=12)


def make_lab(ws: list[int], objectives: tuple[str, ...] = ("yaml-pipelines",), lab_id: str = "lab") -> Lab:
    checks = tuple(
        Check(f"c{i}", "t", "file-exists", {"file": "a"}, w, "hint", "https://learn.microsoft.com/")
        for i, w in enumerate(ws)
    )
    return Lab(lab_id, "Lab", objectives, 10, checks, "task", "folder")


@given(weights, st.data())
def test_score_is_bounded_and_monotone(ws: list[int], data: st.DataObject) -> None:
    lab = make_lab(ws)
    ids = [c.id for c in lab.checks]
    passed = data.draw(st.sets(st.sampled_from(ids)))
    more = passed | data.draw(st.sets(st.sampled_from(ids)))
    score = lab_score(lab, passed)
    assert 0 <= score <= 100
    assert lab_score(lab, more) >= score
    assert (lab_score(lab, ids) == 100) and lab_score(lab, []) == 0
    report = score_report(lab, [CheckResult(i, i in passed, "") for i in reversed(ids)])
    assert report.complete == (passed == set(ids)) and report.score == score
    assert [r.check_id for r in report.results] == ids  # the lab's order, whatever order they came in


def test_rounding_half_up() -> None:
    lab = make_lab([1, 1, 1, 1, 1, 1, 1, 1])
    assert lab_score(lab, ["c0"]) == 13  # 12.5 -> 13
    assert lab_score(make_lab([2, 1]), ["c1"]) == 33


def test_reports_with_foreign_duplicate_or_missing_checks_are_refused() -> None:
    lab = make_lab([1, 2])
    for results, message in [
        (
            [CheckResult("c0", True, ""), CheckResult("c1", True, ""), CheckResult("zz", True, "")],
            "lab lab has no check 'zz'",
        ),
        ([CheckResult("c0", True, ""), CheckResult("c0", True, "")], "check 'c0' is reported twice"),
        ([CheckResult("c0", True, "")], "the report lacks check(s) c1 of lab lab"),
    ]:
        try:
            score_report(lab, results)
        except ValueError as exc:
            assert str(exc) == message
        else:
            raise AssertionError(message)


def test_evidence_takes_each_labs_best_score_and_averages_per_objective() -> None:
    a = make_lab([1], ("large-files", "branch-strategy"), "a")
    b = make_lab([1], ("large-files",), "b")
    reports = [
        LabReport("a", (), 40, False),
        LabReport("a", (), 100, True),
        LabReport("b", (), 50, False),
        LabReport("zz", (), 100, True),
    ]
    assert lab_evidence([a, b], reports) == {"large-files": 0.75, "branch-strategy": 1.0}
    assert combine_mastery(
        {"large-files": 0.25, "kql-queries": 0.5}, {"large-files": 0.75, "branch-strategy": 1.0}
    ) == {
        "large-files": 0.5,
        "kql-queries": 0.5,
        "branch-strategy": 1.0,
    }


def test_arguments_are_checked_against_the_kind() -> None:
    assert args_problems("git-tag", {"tag": "v1", "annotated": True}) == []
    assert args_problems("git-tag", {}) == ["git-tag: missing argument 'tag'"]
    assert args_problems("git-tag", {"tag": "v1", "annotated": "yes"}) == [
        "git-tag: argument 'annotated' must be true or false"
    ]
    assert args_problems("pipeline-task", {"file": "a", "task": "X@1", "count": -1}) == [
        "pipeline-task: argument 'count' must be an integer"
    ]
    assert args_problems("nope", {})[0].startswith("unknown check kind 'nope'; choose one of: arm-resource, ")

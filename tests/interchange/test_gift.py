"""GIFT: the real samples of the GIFT grammar's authors parse as they expect, and GIFT maps onto certprep items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from certprep.domain.items import DragDrop, HotArea, MultipleResponse, SingleChoice, YesNoSeries
from certprep.interchange.gift import escape, parse_gift, read_gift, unescape, write_gift
from certprep.interchange.report import unit_items
from tests.interchange.packs import defaults

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gift"
SAMPLES = sorted(FIXTURES.glob("*.gift")) if FIXTURES.is_dir() else []


def _text(value: Any) -> Any:
    return value.get("text") if isinstance(value, dict) else value


@pytest.mark.skipif(not SAMPLES, reason="../shared/fixtures/gift is missing")
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_real_samples_parse_as_the_grammar_expects(sample: Path) -> None:
    expected = json.loads(sample.with_suffix(".json").read_text(encoding="utf-8"))
    got = parse_gift(sample.read_text(encoding="utf-8"))
    assert len(got) == len(expected)
    for e, q in zip(expected, got, strict=True):
        assert q.type == e["type"]
        assert q.title == e.get("title")
        if e["type"] != "Category":
            assert q.stem == _text(e["stem"])
            assert q.ident == e.get("id") and (q.tags or None) == e.get("tags")
        if e["type"] == "MC":
            assert [(c.text, c.correct, c.weight, c.feedback) for c in q.choices] == [
                (_text(c["text"]), c["isCorrect"], c["weight"], _text(c["feedback"])) for c in e["choices"]
            ]
        if e["type"] == "TF":
            assert (q.is_true, q.true_feedback, q.false_feedback) == (
                e["isTrue"],
                _text(e["trueFeedback"]),
                _text(e["falseFeedback"]),
            )
        if e["type"] == "Matching":
            assert [(c.text, c.match) for c in q.choices] == [
                (_text(p["subquestion"]), p["subanswer"]) for p in e["matchPairs"]
            ]


SAMPLE = """$CATEGORY: $course$/top/yaml-pipelines

// [id:az-400/yaml-pipelines/stage-order]
// [tag:stages]
::Stage order::Which keyword makes a stage wait for others?{
  =dependsOn#Correct: it lists the stages that must finish first.
  ~condition#Wrong: a condition decides whether a stage runs.
  ~trigger#Wrong: a trigger starts a whole run.
  ####The stage graph comes from dependsOn.
}

Which two run on Microsoft-hosted agents?{
  ~%50%ubuntu-latest#Right: a hosted image.
  ~%50%windows-latest#Right: a hosted image.
  ~%-100%a self-hosted pool#Wrong: your own machines.
  ~%-100%an agentless job#Wrong: runs on the server.
}

Match each job to where it runs.{
  =A job with vmImage -> Microsoft-hosted
  =A job in the Default pool -> Self-hosted
  = -> Nowhere
}

The task [[x]] goes here.{=Bash@3 ~Shell@1 ~Run@2} in the step.

::Essay:: Explain stages.{}
"""


def test_gift_maps_onto_certprep_types() -> None:
    parsed = read_gift(SAMPLE.encode(), defaults(), "bank.gift")
    assert parsed.problems == ()
    single, multiple, match, hot = parsed.units
    assert isinstance(single, SingleChoice) and single.meta.id == "az-400/yaml-pipelines/stage-order"
    assert single.key == "a" and single.meta.tags == ("stages",) and single.meta.objective == "yaml-pipelines"
    assert single.meta.explanation == "The stage graph comes from dependsOn."
    assert (
        isinstance(multiple, MultipleResponse)
        and multiple.key == frozenset({"a", "b"})
        and multiple.choose == 2
    )
    assert isinstance(match, DragDrop) and [v.text for v in match.values] == [
        "Microsoft-hosted",
        "Self-hosted",
        "Nowhere",
    ]
    assert dict(match.key) == {"t1": "v1", "t2": "v2"}
    assert isinstance(hot, HotArea) and "[[blank:b1]]" in hot.prompt and hot.blanks[0].key == "a"
    warned = [str(w) for w in parsed.warnings]
    assert any("Essay" in w and "skipped" in w for w in warned)
    assert any(
        w.startswith(f"item {single.meta.id}: not in the file") and "difficulty 3" in w for w in warned
    )


def test_description_then_true_false_is_a_yes_no_series() -> None:
    text = "::Scenario::You deploy nightly.\n\nSolution: add a schedule.{T#yes}\n\nSolution: add a CI trigger.{F#no}\n"
    parsed = read_gift(text.encode(), defaults(objective="yaml-pipelines"), "s.gift")
    [series] = parsed.units
    assert isinstance(series, YesNoSeries) and series.prompt == "You deploy nightly."
    assert [(s.statement, s.key, s.meta.explanation) for s in series.statements] == [
        ("Solution: add a schedule.", True, "yes"),
        ("Solution: add a CI trigger.", False, "no"),
    ]


def test_escapes_round_trip() -> None:
    text = "a {b} = c ~ d # e : f \\ g\nline"
    assert unescape(escape(text)) == text


def test_no_objective_and_no_source_are_problems_naming_the_line() -> None:
    parsed = read_gift(b"\n\nQ?{=a ~b ~c}\n", defaults(sources=()), "x.gift")
    assert any(p.startswith("x.gift:3: no objective") for p in parsed.problems)
    assert any(p.startswith("x.gift:3: item") and "no source" in p for p in parsed.problems)


def test_not_utf8_is_a_problem() -> None:
    assert read_gift(b"\xff\xfe\x00bad", defaults(), "b.gift").problems == (
        "b.gift: not UTF-8 text (byte 0)",
    )


def test_export_warns_for_what_gift_cannot_hold() -> None:
    from tests.interchange.packs import builtin_units

    written = write_gift(builtin_units())
    ids = {i.meta.id for u in builtin_units() for i in unit_items(u)}
    lost = {w.item for w in written.warnings}
    assert lost <= ids and written.count > 0
    assert any("not exported: GIFT cannot hold a build list" in str(w) for w in written.warnings)

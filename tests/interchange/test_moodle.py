"""Moodle XML written the way Moodle's question bank export writes it (HTML text, categories, idnumber, tags):
each question type maps to the certprep item it can be, and the others are skipped with a warning."""

from __future__ import annotations

from certprep.domain.items import (
    BuildList,
    CaseStudy,
    DragDrop,
    HotArea,
    MultipleResponse,
    SingleChoice,
    YesNoSeries,
)
from certprep.interchange.moodle import read_moodle, write_moodle
from tests.interchange.packs import builtin_units, defaults

QUIZ = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Pipelines/yaml-pipelines</text></category></question>
  <question type="multichoice">
    <name><text>Stage wait</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which keyword makes a <b>stage</b> wait?</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>Stages form a graph.</p>]]></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden>
    <idnumber>stage-wait</idnumber>
    <single>true</single><shuffleanswers>true</shuffleanswers><answernumbering>abc</answernumbering>
    <answer fraction="100" format="html"><text>dependsOn</text><feedback format="html"><text>Right.</text></feedback></answer>
    <answer fraction="0" format="html"><text>condition</text><feedback format="html"><text>Runs or skips.</text></feedback></answer>
    <answer fraction="0" format="html"><text>trigger</text><feedback format="html"><text>Starts a run.</text></feedback></answer>
    <tags><tag><text>stages</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Hosted images</text></name>
    <questiontext format="html"><text>Which two are hosted images?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>ubuntu-latest</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="50"><text>windows-latest</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="-100"><text>Default</text><feedback><text>Self-hosted.</text></feedback></answer>
    <answer fraction="-100"><text>Server</text><feedback><text>Agentless.</text></feedback></answer>
  </question>
  <question type="matching">
    <name><text>Where jobs run</text></name>
    <questiontext format="html"><text>Match each job.</text></questiontext>
    <subquestion format="html"><text>vmImage job</text><answer><text>Hosted</text></answer></subquestion>
    <subquestion format="html"><text>Default pool job</text><answer><text>Self-hosted</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Nowhere</text></answer></subquestion>
  </question>
  <question type="ordering">
    <name><text>Release order</text></name>
    <questiontext format="html"><text>Put the steps in order.</text></questiontext>
    <answer fraction="1"><text>Build</text></answer>
    <answer fraction="3"><text>Deploy</text></answer>
    <answer fraction="2"><text>Test</text></answer>
  </question>
  <question type="gapselect">
    <name><text>Task</text></name>
    <questiontext format="html"><text>Run [[1]] on [[4]].</text></questiontext>
    <selectoption><text>Bash@3</text><group>1</group></selectoption>
    <selectoption><text>Shell@1</text><group>1</group></selectoption>
    <selectoption><text>Run@2</text><group>1</group></selectoption>
    <selectoption><text>ubuntu</text><group>2</group></selectoption>
    <selectoption><text>dos</text><group>2</group></selectoption>
  </question>
  <question type="ddwtos">
    <name><text>Drag words</text></name>
    <questiontext format="html"><text>Use [[2]] to wait.</text></questiontext>
    <dragbox><text>condition</text><group>1</group></dragbox>
    <dragbox><text>dependsOn</text><group>1</group></dragbox>
  </question>
  <question type="essay"><name><text>Explain</text></name><questiontext format="html"><text>Explain stages.</text></questiontext></question>
  <question type="description">
    <name><text>Contoso</text></name>
    <questiontext format="html"><text><![CDATA[<p>Contoso runs nightly builds.</p>]]></text></questiontext>
  </question>
  <question type="truefalse">
    <name><text>s1</text></name>
    <questiontext format="html"><text>Solution: add a schedule.</text></questiontext>
    <answer fraction="100"><text>true</text><feedback><text>Schedules run nightly.</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>x</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>s2</text></name>
    <questiontext format="html"><text>Solution: add a PR trigger.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>x</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>PR triggers run on pull requests.</text></feedback></answer>
  </question>
</quiz>
"""


def test_moodle_question_types_map() -> None:
    parsed = read_moodle(QUIZ.encode(), defaults(), "bank.xml")
    assert parsed.problems == ()
    single, multiple, match, order, gaps, drag, series = parsed.units
    assert isinstance(single, SingleChoice)
    assert single.meta.id == "az-400/yaml-pipelines/stage-wait" and single.meta.objective == "yaml-pipelines"
    assert single.prompt == "Which keyword makes a **stage** wait?" and single.key == "a"
    assert single.options[1].explanation == "Runs or skips." and single.meta.tags == ("stages",)
    assert single.meta.explanation == "Stages form a graph."
    assert isinstance(multiple, MultipleResponse) and multiple.key == frozenset({"a", "b"})
    assert isinstance(match, DragDrop) and len(match.targets) == 2 and len(match.values) == 3
    assert isinstance(order, BuildList) and [o.text for o in order.options] == ["Build", "Test", "Deploy"]
    assert isinstance(gaps, HotArea) and gaps.prompt == "Run [[blank:b1]] on [[blank:b2]]."
    assert [[o.text for o in b.options] for b in gaps.blanks] == [
        ["Bash@3", "Shell@1", "Run@2"],
        ["ubuntu", "dos"],
    ]
    assert [b.key for b in gaps.blanks] == ["a", "a"]
    assert isinstance(drag, HotArea) and drag.blanks[0].key == "b"
    assert isinstance(series, YesNoSeries) and series.prompt == "Contoso runs nightly builds."
    assert [s.key for s in series.statements] == [True, False]
    assert series.statements[1].meta.explanation == "PR triggers run on pull requests."
    warned = [str(w) for w in parsed.warnings]
    assert any("'essay'" in w and "skipped" in w for w in warned)
    assert any(w.startswith(f"item {single.meta.id}: question text: HTML converted") for w in warned)
    assert any("drag and drop into text became a hot area" in w for w in warned)


def test_a_description_before_other_questions_is_a_case_study() -> None:
    units = [u for u in builtin_units() if isinstance(u, CaseStudy)]
    written = write_moodle(tuple(units))
    parsed = read_moodle(written.data, defaults(), "cases.xml")
    assert [u.id for u in parsed.units] == [u.id for u in units]
    assert all(isinstance(u, CaseStudy) for u in parsed.units)
    assert [u.tabs for u in parsed.units] == [u.tabs for u in units]


def test_a_gap_naming_no_choice_is_a_problem_with_its_place() -> None:
    bad = QUIZ.replace("Run [[1]] on [[4]].", "Run [[9]].")
    parsed = read_moodle(bad.encode(), defaults(), "bank.xml")
    assert parsed.problems == ("bank.xml: question 6 (Task): gap [[9]] names no choice (there are 5)",)


def test_not_a_moodle_file() -> None:
    assert read_moodle(b"<html/>", defaults(), "x.xml").problems == (
        "x.xml: the root element is <html>, not Moodle's <quiz>",
    )
    assert (
        read_moodle(b"<quiz><question>", defaults(), "x.xml")
        .problems[0]
        .startswith("x.xml:1: not well-formed XML")
    )


def test_sources_survive_in_general_feedback() -> None:
    units = builtin_units()[:5]
    parsed = read_moodle(write_moodle(units).data, defaults(sources=()), "x.xml")
    assert parsed.problems == ()
    assert [u.meta.sources for u in parsed.units] == [u.meta.sources for u in units]  # type: ignore[union-attr]

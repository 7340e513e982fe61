"""Responses in words (`describe_answer`, `describe_response`, `answer_parts`), hot-area blanks numbered from 1
(`blank_numbers`, `fill_blanks`, `choice_label`) and `outcome`: what a person reads, never ids, dicts or lists."""

from __future__ import annotations

import pytest

from certprep.domain.items import Blank, HotArea, Option, YesNoStatement
from certprep.domain.presentation import (
    answer_parts,
    blank_numbers,
    choice_label,
    describe_answer,
    describe_response,
    fill_blanks,
    key_response,
    outcome,
    present,
)
from tests.factories import make_item, meta

REVERSED = (("options", ("o3", "o2", "o1", "o0")),)


def test_single_choice_in_words() -> None:
    item = make_item("single", "q", "yaml-pipelines", 3)
    assert describe_response(item, REVERSED, "o0") == "D. q option 0"
    assert describe_response(item, REVERSED, None) == "no answer"


def test_multiple_and_build_list_in_words() -> None:
    multi = make_item("multiple", "m", "yaml-pipelines", 3)
    order = (("options", ("o4", "o3", "o2", "o1", "o0")),)
    assert describe_response(multi, order, frozenset({"o0", "o1"})) == "D. m option 1; E. m option 0"
    build = make_item("build-list", "b", "yaml-pipelines", 3)
    assert answer_parts(present(build, order), ["E", "A"]) == ("1) E. b option 0", "2) A. b option 4")
    assert describe_response(build, order, key_response(build)) == (
        "1) E. b option 0; 2) D. b option 1; 3) C. b option 2"
    )


def test_drag_drop_in_words_target_then_value() -> None:
    item = make_item("drag-drop", "d", "yaml-pipelines", 3)
    order = (("values", ("o0", "o1", "o2", "o3")), ("targets", ("t2", "t1", "t0")))
    words = describe_response(item, order, (("t0", "o1"), ("t2", "o0")))
    assert words == "1. target 2 -> A. d option 0; 3. target 0 -> B. d option 1"


def test_hot_area_blanks_numbered_in_prompt_order() -> None:
    blanks = (
        Blank("zeta", (Option("a", "All"), Option("b", "Any")), "a"),
        Blank("alpha", (Option("x", "X1"),), "x"),
    )
    item = HotArea(meta("h", "yaml-pipelines", 3), "first [[blank:alpha]] then [[blank:zeta]]", blanks)
    order = (("zeta", ("b", "a")), ("alpha", ("x",)))
    shown = present(item, order)
    assert blank_numbers(shown) == {"alpha": 1, "zeta": 2}
    assert fill_blanks(shown) == "first [1: ____] then [2: ____]"
    assert fill_blanks(shown, {"zeta": "B"}) == "first [1: ____] then [2: All]"
    assert describe_response(item, order, key_response(item)) == "Blank 1: A. X1; Blank 2: B. All"
    assert choice_label(shown, "zeta:A") == "blank 2: A" and choice_label(shown, "B") == "B"


def test_yes_no_in_words() -> None:
    item = YesNoStatement(meta("y", "yaml-pipelines", 3), "Goal", "Solution", True, 0)
    assert describe_response(item, (), True) == "Yes" and describe_response(item, (), False) == "No"


@pytest.mark.parametrize(
    ("points", "max_points", "answered", "word"),
    [
        (1, 1, True, "correct"),
        (0, 1, True, "incorrect"),
        (1, 3, True, "partial (1/3)"),
        (0, 2, False, "not answered"),
    ],
)
def test_outcome(points: int, max_points: int, answered: bool, word: str) -> None:
    assert outcome(points, max_points, answered) == word


def test_labels_the_item_does_not_have_are_kept_as_typed() -> None:
    shown = {"type": "single", "prompt": "p", "options": [{"label": "A", "text": "Alpha"}]}
    assert describe_answer(shown, "Z") == "Z" and describe_answer(shown, "A") == "A. Alpha"

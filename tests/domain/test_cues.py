"""Answer cues: each per-item rule, the bank-level figures, and the limits at their edges."""

from __future__ import annotations

from dataclasses import replace

import pytest

from certprep.domain.cues import (
    CueFigures,
    cue_figures,
    cue_lines,
    item_cues,
    limits_problems,
    negation_pairs,
)
from certprep.domain.items import (
    Blank,
    BuildList,
    HotArea,
    MultipleResponse,
    Option,
    SingleChoice,
    YesNoStatement,
)
from tests.factories import meta


def single(texts: list[str], key: str = "a", item_id: str = "p/x") -> SingleChoice:
    options = tuple(Option(chr(97 + n), t, "why") for n, t in enumerate(texts))
    return SingleChoice(meta(item_id, "yaml-pipelines", 3), "Q?", options, key)


def multiple(texts: list[str], keys: set[str]) -> MultipleResponse:
    options = tuple(Option(chr(97 + n), t, "why") for n, t in enumerate(texts))
    return MultipleResponse(meta("p/m", "yaml-pipelines", 3), "Q?", options, frozenset(keys), len(keys))


def rules(item: SingleChoice | MultipleResponse) -> list[str]:
    return [c.rule for c in item_cues(item)]


def test_key_longest_by_more_than_20_percent_is_flagged_and_not_below() -> None:
    assert rules(single(["x" * 121, "y" * 100, "z" * 90])) == ["key-longest"]
    assert rules(single(["x" * 120, "y" * 100, "z" * 90])) == []  # exactly 20% longer: not "more than"
    assert rules(single(["x" * 50, "y" * 100, "z" * 90])) == []
    [cue] = item_cues(single(["x" * 130, "y" * 100, "z" * 90]))
    assert "130 characters" in cue.message and "(100)" in cue.message and "shorten the key" in cue.message


def test_n_longest_keys_are_flagged() -> None:
    texts = ["k" * 60, "k" * 55, "d" * 50, "d" * 40, "d" * 30]
    assert rules(multiple(texts, {"a", "b"})) == ["keys-longest"]
    assert rules(multiple(texts, {"a", "c"})) == []
    tie = ["k" * 60, "k" * 50, "d" * 50, "d" * 40, "d" * 30]  # a distractor as long as a key: not n-longest
    assert rules(multiple(tie, {"a", "b"})) == []


def test_negation_pair_all_of_the_above_and_absolute_words() -> None:
    assert negation_pairs(
        (Option("a", "Enable push protection"), Option("b", "Do not enable push protection"))
    ) == [("a", "b")]
    assert negation_pairs((Option("a", "Don't cache the packages"), Option("b", "Cache the packages"))) == [
        ("a", "b")
    ]
    assert negation_pairs((Option("a", "Enable push protection"), Option("b", "Enable code scanning"))) == []
    item = single(["Use a deployment job", "None of the above", "Use a classic release", "Use a script"])
    assert "all-none-of-the-above" in rules(item)
    absolute = single(["Use a deployment job", "Always run every stage", "Use a release", "Use a script"])
    assert rules(absolute) == ["absolute-words"]
    both = single(
        ["Always use a deployment job", "Always run every stage in order", "Use a release", "Use a script"]
    )
    assert rules(both) == []


def test_a_broken_key_is_not_a_cue() -> None:
    assert item_cues(single(["a" * 80, "b" * 10, "c" * 10], key="z")) == []
    assert cue_figures([single(["a" * 80, "b" * 10], key="z")]).single == 0


def test_figures_count_each_rule_over_reviewed_items_only() -> None:
    longest = single(["k" * 100, "d" * 50, "d" * 50], item_id="p/1")  # key longest, ratio 2.0
    shortest = single(["k" * 25, "d" * 50, "d" * 50], item_id="p/2")  # ratio 0.5
    even = single(["k" * 50, "d" * 50, "d" * 50], item_id="p/3")  # ratio 1.0
    draft = replace(longest, meta=replace(longest.meta, id="p/4", status="draft"))
    pilot = replace(longest, meta=replace(longest.meta, id="p/5", pilot=True))
    yes = [
        YesNoStatement(meta(f"p/s{n}", "yaml-pipelines", 3), "Q", f"Solution {n}", n < 2, n) for n in range(5)
    ]
    opts = tuple(Option(f"o{n}", f"step {n}", "why") for n in range(5))
    in_order = BuildList(meta("p/b1", "yaml-pipelines", 3), "Q", opts, ("o0", "o1", "o2"))
    mixed = BuildList(meta("p/b2", "yaml-pipelines", 3), "Q", opts, ("o2", "o0", "o1"))
    blank = Blank("x", (Option("a", "long key text"), Option("b", "short")), "a")
    hot = HotArea(meta("p/h", "yaml-pipelines", 3), "[[blank:x]]", (blank,))
    f = cue_figures([longest, shortest, even, draft, pilot, *yes, in_order, mixed, hot])
    assert (f.single, f.single_key_longest, f.median_length_ratio) == (3, 1, 1.0)
    assert f.key_ranks == (2, 0, 1)  # longest and even (ties count as longest); shortest: two options longer
    assert (f.yes_no, f.yes_keys, f.yes_share) == (5, 2, 0.4)
    assert (f.build_lists, f.build_list_authored_as_key) == (2, 1)
    assert (f.hot_area_blanks, f.hot_area_key_longest) == (1, 1)


def figures(**kw: object) -> CueFigures:
    base = dict(
        single=100,
        single_key_longest=30,
        median_length_ratio=1.0,
        multiple=20,
        multiple_n_longest=3,
        yes_no=50,
        yes_keys=25,
        build_lists=10,
        build_list_authored_as_key=10,
        hot_area_blanks=10,
        hot_area_key_longest=3,
    )
    return CueFigures(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        ({}, None),
        ({"single_key_longest": 31}, "the key is the longest option in 31 of 100 single-choice items (31%"),
        ({"key_ranks": (20, 40, 20, 20)}, None),
        ({"key_ranks": (20, 41, 20, 19)}, "the key is the second-longest option by length in 41 of 100"),
        ({"median_length_ratio": 1.15}, None),
        ({"median_length_ratio": 1.16}, "the median single-choice key is 1.16 times"),
        ({"median_length_ratio": 0.9}, None),
        ({"median_length_ratio": 0.89}, "the median single-choice key is 0.89 times"),
        ({"multiple_n_longest": 4}, "the keys are the n longest options in 4 of 20"),
        ({"yes_keys": 20}, None),
        ({"yes_keys": 19}, "19 of 50 yes/no statements are keyed yes (38%"),
        ({"yes_keys": 30}, None),
        ({"yes_keys": 31}, "31 of 50 yes/no statements are keyed yes (62%"),
    ],
)
def test_limits_at_their_edges(change: dict[str, object], broken: str | None) -> None:
    problems = limits_problems(figures(**change))
    if broken is None:
        assert problems == []
        assert all(line.ok in (True, None) for line in cue_lines(figures(**change)))
    else:
        [message] = problems
        assert message.startswith(broken) and (
            "rewrite" in message or "lengthen" in message or "write" in message
        )
        assert any(line.ok is False for line in cue_lines(figures(**change)))

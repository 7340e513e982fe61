"""Grading of every item type: full, partial and wrong responses; property tests; malformed responses."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.domain.items import (
    Blank,
    BuildList,
    DragDrop,
    HotArea,
    Item,
    ItemMeta,
    MultipleResponse,
    Option,
    SingleChoice,
    Source,
    YesNoStatement,
    grade,
    max_points,
    parse_response,
)
from certprep.errors import InvalidInput


def meta(item_id: str, scoring: str = "per-component") -> ItemMeta:
    return ItemMeta(
        id=f"t/{item_id}",
        objective="yaml-pipelines",
        outline=date(2026, 7, 27),
        difficulty=3,
        author="t",
        reviewer=None,
        status="reviewed",
        sources=(Source("https://learn.microsoft.com/x", date(2026, 11, 1)),),
        scoring=scoring,  # type: ignore[arg-type]
    )


def opts(*ids: str) -> tuple[Option, ...]:
    return tuple(Option(i, f"option {i}", "why") for i in ids)


SINGLE = SingleChoice(meta("single"), "Q", opts("a", "b", "c", "d"), "b")
MULTI = MultipleResponse(meta("multi"), "Q", opts("a", "b", "c", "d", "e"), frozenset({"a", "d"}), 2)
ORDER = BuildList(meta("order"), "Q", opts("a", "b", "c", "d", "e", "f"), ("c", "a", "e", "b"))
MATCH = DragDrop(
    meta("match"),
    "Q",
    opts("v1", "v2", "v3", "v4"),
    opts("t1", "t2", "t3"),
    (("t1", "v2"), ("t2", "v1"), ("t3", "v4")),
    reuse=False,
)
MATCH_REUSE = DragDrop(
    meta("reuse"),
    "Q",
    opts("v1", "v2"),
    opts("t1", "t2", "t3"),
    (("t1", "v1"), ("t2", "v1"), ("t3", "v2")),
    reuse=True,
)
HOT = HotArea(
    meta("hot"),
    "x: [[blank:b1]] y: [[blank:b2]]",
    (Blank("b1", opts("a", "b", "c"), "a"), Blank("b2", opts("a", "b", "c"), "c")),
)
YES = YesNoStatement(meta("series/s1"), "scenario", "Solution: do it", True, 0)


def score(item: Item, raw: object) -> tuple[int, int]:
    g = grade(item, parse_response(item, raw))
    return g.points, g.max_points


def test_single_choice() -> None:
    assert score(SINGLE, "b") == (1, 1)
    assert score(SINGLE, "a") == (0, 1)


def test_multiple_response_partial_credit() -> None:
    assert score(MULTI, ["a", "d"]) == (2, 2)
    assert score(MULTI, ["a", "b"]) == (1, 2)
    assert score(MULTI, ["b", "c"]) == (0, 2)
    assert score(MULTI, ["d"]) == (1, 2)


def test_multiple_response_choosing_more_than_asked_is_malformed() -> None:
    with pytest.raises(InvalidInput, match="choose at most 2, got 3"):
        parse_response(MULTI, ["a", "b", "d"])


def test_build_list_scores_longest_common_subsequence() -> None:
    assert score(ORDER, ["c", "a", "e", "b"]) == (4, 4)
    assert score(ORDER, ["a", "c", "e", "b"]) == (3, 4)  # one swap loses one point
    assert score(ORDER, ["c", "a", "f", "b"]) == (3, 4)  # a distractor in place of a step
    assert score(ORDER, ["b", "e", "a", "c"]) == (1, 4)  # fully reversed keeps one in order
    assert score(ORDER, ["d", "f"]) == (0, 4)


def test_build_list_more_actions_than_asked_is_malformed() -> None:
    with pytest.raises(InvalidInput, match="place at most 4 actions"):
        parse_response(ORDER, ["c", "a", "e", "b", "d"])


def test_drag_drop_one_point_per_target() -> None:
    assert score(MATCH, {"t1": "v2", "t2": "v1", "t3": "v4"}) == (3, 3)
    assert score(MATCH, {"t1": "v2", "t2": "v3"}) == (1, 3)
    assert score(MATCH, {}) == (0, 3)


def test_drag_drop_value_used_twice_without_reuse_is_malformed() -> None:
    with pytest.raises(InvalidInput, match="each value may be used only once"):
        parse_response(MATCH, {"t1": "v1", "t2": "v1"})
    assert score(MATCH_REUSE, {"t1": "v1", "t2": "v1", "t3": "v2"}) == (3, 3)


def test_hot_area_one_point_per_blank() -> None:
    assert score(HOT, {"b1": "a", "b2": "c"}) == (2, 2)
    assert score(HOT, {"b1": "a", "b2": "b"}) == (1, 2)
    with pytest.raises(InvalidInput, match="'z' is not an option of blank 'b2'"):
        parse_response(HOT, {"b2": "z"})


def test_yes_no_statement() -> None:
    assert score(YES, "yes") == (1, 1)
    assert score(YES, False) == (0, 1)
    with pytest.raises(InvalidInput, match="expected yes or no"):
        parse_response(YES, "maybe")


def test_all_or_nothing_scoring() -> None:
    strict = MultipleResponse(meta("strict", "all-or-nothing"), "Q", MULTI.options, MULTI.key, 2)
    assert max_points(strict) == 1
    assert score(strict, ["a", "b"]) == (0, 1)
    assert score(strict, ["a", "d"]) == (1, 1)


@pytest.mark.parametrize(
    ("item", "raw", "message"),
    [
        (SINGLE, "z", "expected one option id"),
        (SINGLE, ["a"], "expected one option id"),
        (MULTI, "a", "expected a list of option ids"),
        (MULTI, ["a", "a"], "an option is given twice"),
        (MULTI, ["x"], "unknown option ids"),
        (ORDER, ["c", "c"], "an option is given twice"),
        (MATCH, {"t9": "v1"}, "unknown ids"),
        (MATCH, {"t1": "v9"}, "is not a value of this item"),
        (MATCH, "t1", "expected a mapping"),
        (HOT, {"b9": "a"}, "unknown ids"),
    ],
)
def test_malformed_responses_are_rejected(item: Item, raw: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_response(item, raw)


ITEMS = [SINGLE, MULTI, ORDER, MATCH, MATCH_REUSE, HOT, YES]


def responses(item: Item) -> st.SearchStrategy[object]:
    """Any well-formed response to an item."""
    match item:
        case SingleChoice():
            return st.sampled_from([o.id for o in item.options])
        case MultipleResponse():
            return st.lists(st.sampled_from([o.id for o in item.options]), unique=True, max_size=item.choose)
        case BuildList():
            return st.lists(
                st.sampled_from([o.id for o in item.options]), unique=True, max_size=len(item.key)
            )
        case DragDrop():
            values = [v.id for v in item.values]
            targets = [t.id for t in item.targets]
            if item.reuse:
                return st.dictionaries(st.sampled_from(targets), st.sampled_from(values))
            return st.permutations(values).flatmap(
                lambda perm: st.sets(st.sampled_from(targets)).map(
                    lambda ts: dict(zip(sorted(ts), perm, strict=False))
                )
            )
        case HotArea():
            return st.fixed_dictionaries(
                {}, optional={b.id: st.sampled_from([o.id for o in b.options]) for b in item.blanks}
            )
        case _:
            return st.booleans()


@given(st.sampled_from(ITEMS).flatmap(lambda i: st.tuples(st.just(i), responses(i))))
def test_score_is_between_zero_and_max(case: tuple[Item, object]) -> None:
    item, raw = case
    g = grade(item, parse_response(item, raw))
    assert 0 <= g.points <= g.max_points == max_points(item)


def key_response(item: Item) -> object:
    match item:
        case SingleChoice():
            return item.key
        case MultipleResponse():
            return sorted(item.key)
        case BuildList():
            return list(item.key)
        case DragDrop():
            return dict(item.key)
        case HotArea():
            return {b.id: b.key for b in item.blanks}
        case YesNoStatement():
            return item.key
    raise AssertionError


@given(st.sampled_from([MULTI, ORDER, MATCH, HOT]).flatmap(lambda i: st.tuples(st.just(i), responses(i))))
def test_fixing_a_component_never_lowers_the_score(case: tuple[Item, object]) -> None:
    """Monotone in correct components: replace one part of any response by the key's part."""
    item, raw = case
    before = grade(item, parse_response(item, raw)).points
    key = key_response(item)
    if isinstance(item, DragDrop | HotArea):
        assert isinstance(raw, dict) and isinstance(key, dict)
        for target, value in key.items():
            fixed = {k: v for k, v in raw.items() if (v != value or item is not MATCH)}
            fixed[target] = value
            assert grade(item, parse_response(item, fixed)).points >= before
    elif isinstance(item, MultipleResponse):
        assert isinstance(raw, list)
        for k in item.key - set(raw):
            wrong = [x for x in raw if x not in item.key]
            if len(raw) < item.choose:
                fixed = [*raw, k]
            elif wrong:
                fixed = [x for x in raw if x != wrong[0]] + [k]
            else:
                continue
            assert grade(item, parse_response(item, fixed)).points > before
    else:
        assert isinstance(raw, list)
        assert grade(item, parse_response(item, list(item.key))).points >= before
    assert grade(item, parse_response(item, key)).points == max_points(item)

"""Blueprint, form assembly, scaling."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.domain.catalog import Catalog
from certprep.domain.exam import assemble_form, blueprint_for, choice_order, largest_remainder
from certprep.domain.items import Bank, BuildList, DragDrop, HotArea, MultipleResponse, SingleChoice
from certprep.domain.scaling import DIFFICULTY_TABLE, cut_score, scale
from certprep.errors import InvalidInput
from certprep.services.content import get_catalog
from tests.factories import generated_bank, make_item

DAY = date(2026, 11, 26)


@pytest.fixture
def outline(catalog: Catalog):  # type: ignore[no-untyped-def]
    return catalog.outline("AZ-400")


@pytest.fixture
def sim(catalog: Catalog):  # type: ignore[no-untyped-def]
    return catalog.certification("AZ-400").exam.simulation


@pytest.fixture
def bank(outline) -> Bank:  # type: ignore[no-untyped-def]
    return generated_bank(outline)


def draw(bank, outline, sim, seed=1, n=None, last_seen=None):  # type: ignore[no-untyped-def]
    bp = blueprint_for(outline, sim, scored_items=n)
    return bp, *assemble_form(bank, outline, bp, rng=random.Random(seed), last_seen=last_seen or {}, on=DAY)


@given(st.integers(40, 60))
def test_blueprint_quotas_respect_weights(n: int) -> None:
    catalog = get_catalog()
    outline = catalog.outline("AZ-400")
    bp = blueprint_for(outline, catalog.certification("AZ-400").exam.simulation, scored_items=n)
    quotas = dict(bp.group_quotas)
    assert sum(quotas.values()) == n == sum(dict(bp.type_quotas).values())
    for g in outline.groups:
        assert g.weight[0] <= 100 * quotas[g.id] / n <= g.weight[1] + 100 / n


def test_form_length_outside_40_60_is_refused(outline, sim) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="40-60 scored items, not 70"):
        blueprint_for(outline, sim, scored_items=70)


def test_form_follows_group_weights_and_has_no_repeats(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    bp, form, used = draw(bank, outline, sim)
    ids = [e.item_id for e in form.entries]
    assert len(ids) == len(set(ids)) == bp.scored_items
    group_of = {o.id: g.id for g in outline.groups for o in g.objectives}
    counts = Counter(group_of[used[i].meta.objective] for i in ids)
    assert counts == Counter(dict(bp.group_quotas))


def test_type_mix_close_to_the_documented_default(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    bp, form, used = draw(bank, outline, sim)
    types = Counter(used[e.item_id].type for e in form.entries)
    for kind, quota in bp.type_quotas:
        assert abs(types[kind] - quota) <= 3, (kind, types[kind], quota)


def test_sections_case_study_after_questions_and_series_kept_together(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    _, form, used = draw(bank, outline, sim)
    assert [s.kind for s in form.sections] == ["questions", "case-study"]
    assert [e.section for e in form.entries] == sorted(e.section for e in form.entries)
    case = [e for e in form.entries if e.section == 1]
    assert len(case) == 6 and all(used[e.item_id].meta.container == form.sections[1].case_study for e in case)
    series = [e for e in form.entries if used[e.item_id].type == "yes-no"]
    by_container: dict[str, list[int]] = {}
    for e in series:
        by_container.setdefault(used[e.item_id].meta.container or "", []).append(e.position)
    for positions in by_container.values():
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        assert [used[form.entries[p].item_id].position for p in positions] == sorted(  # type: ignore[union-attr]
            used[form.entries[p].item_id].position
            for p in positions  # type: ignore[union-attr]
        )


def test_reproducible_from_seed(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    assert draw(bank, outline, sim, seed=5)[1] == draw(bank, outline, sim, seed=5)[1]
    assert draw(bank, outline, sim, seed=5)[1] != draw(bank, outline, sim, seed=6)[1]


def test_least_recently_seen_items_come_first(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    _, first, _ = draw(bank, outline, sim, seed=3)
    seen = {e.item_id: datetime(2026, 11, 1, tzinfo=UTC) for e in first.entries}
    _, second, _ = draw(bank, outline, sim, seed=3, last_seen=seen)
    overlap = {e.item_id for e in first.entries} & {e.item_id for e in second.entries}
    assert len(overlap) < len(first.entries) / 4


def test_nothing_shown_follows_the_authored_order(bank, outline, sim) -> None:  # type: ignore[no-untyped-def]
    """The factories write keys first and build lists in key order; over many forms the key is shown first
    about as often as chance gives, for every list a learner picks from."""
    first_is_key: Counter[str] = Counter()
    lists: Counter[str] = Counter()
    for seed in range(40):
        _, form, used = draw(bank, outline, sim, seed=seed)
        for e in form.entries:
            item, order = used[e.item_id], dict(e.order)
            match item:
                case SingleChoice() | MultipleResponse() | BuildList():
                    shown = order["options"]
                    assert sorted(shown) == sorted(o.id for o in item.options)
                    key = item.key if isinstance(item, SingleChoice) else sorted(item.key)[0]
                    if isinstance(item, BuildList):
                        key = item.key[0]
                    first_is_key[item.type] += shown[0] == key
                    lists[item.type] += 1
                case DragDrop():
                    assert sorted(order["values"]) == sorted(v.id for v in item.values)
                    assert order["targets"] == tuple(t.id for t in item.targets)
                    first_is_key[item.type] += order["values"][0] == dict(item.key)["t0"]
                    lists[item.type] += 1
                case HotArea():
                    for b in item.blanks:
                        assert sorted(order[b.id]) == sorted(o.id for o in b.options)
                        first_is_key[item.type] += order[b.id][0] == b.key
                        lists[item.type] += 1
    chance = {"single": 1 / 4, "multiple": 1 / 5, "build-list": 1 / 5, "drag-drop": 1 / 4, "hot-area": 1 / 3}
    for kind, n in lists.items():
        assert n >= 40, kind
        share = first_is_key[kind] / n
        assert abs(share - chance[kind]) < 4 * (chance[kind] * (1 - chance[kind]) / n) ** 0.5, (kind, share)


def test_build_list_order_is_a_fresh_permutation_per_seed() -> None:
    item = make_item("build-list", "gen/x", "yaml-pipelines", 3)
    orders = [dict(choice_order(item, random.Random(s)))["options"] for s in range(300)]
    assert sum(o == ("o0", "o1", "o2", "o3", "o4") for o in orders) < 10  # 1 in 120 by chance
    assert len(set(orders)) > 80


def test_too_small_bank_is_a_clear_error(outline, sim) -> None:  # type: ignore[no-untyped-def]
    tiny = generated_bank(outline, per_objective=0, series_per_group=0, cases=0)
    with pytest.raises(InvalidInput, match="too few reviewed items"):
        draw(tiny, outline, sim)


@given(st.integers(1, 300), st.floats(0.05, 0.95), st.data())
def test_scaled_score_bounds_monotone_and_700_at_cut(
    max_raw: int, cut_share: float, data: st.DataObject
) -> None:
    cut = max_raw * cut_share
    a = data.draw(st.integers(0, max_raw))
    b = data.draw(st.integers(a, max_raw))
    assert 1 <= scale(a, max_raw, cut) <= scale(b, max_raw, cut) <= 1000
    assert scale(cut, max_raw, cut) == 700
    assert (scale(a, max_raw, cut) >= 700) == (a >= cut - 1e-9)
    assert scale(0, max_raw, cut) == 1 and scale(max_raw, max_raw, cut) == 1000


def test_hard_form_has_cut_below_70_percent_and_easy_form_above(outline) -> None:  # type: ignore[no-untyped-def]
    from certprep.domain.items import max_points

    for level, below in ((5, True), (4, True), (1, False), (2, False)):
        items = generated_bank(outline, per_objective=1, series_per_group=0, cases=0, difficulty=level).items
        share = cut_score(items) / sum(max_points(i) for i in items)
        assert share == pytest.approx(DIFFICULTY_TABLE[level])
        assert (share < 0.7) is below


def test_largest_remainder_adds_up() -> None:
    assert (
        sum(largest_remainder(50, [("a", 12.5), ("b", 12.5), ("c", 52.5), ("d", 12.5), ("e", 7.5)]).values())
        == 50
    )

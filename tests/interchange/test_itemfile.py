"""Item files written by imports read back, through the pack loader, as exactly the items they came from."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from certprep.interchange.itemfile import dump_file, unit_file
from certprep.interchange.report import unit_items
from certprep.packs.items import read_item_file
from certprep.packs.retirements import retirement_dates
from certprep.services.content import builtin_pack_path
from tests.interchange.packs import builtin_units


def test_every_built_in_unit_reads_back_equal() -> None:
    retiring = retirement_dates(builtin_pack_path())
    assert retiring, "the built-in pack names at least one retirement, so retires_with is exercised"
    for unit in builtin_units():
        rel, text = unit_file(unit)
        result = read_item_file(text, rel, retiring)
        assert result.problems == [], (rel, result.problems)
        assert tuple(result.items) == unit_items(unit)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=30))
fronts = st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
    st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.lists(st.dictionaries(st.sampled_from(["id", "text"]), scalars, min_size=1), max_size=2),
    ),
    max_size=6,
)


@given(fronts)
def test_any_front_matter_reads_back_equal(front: dict[str, object]) -> None:
    text = dump_file(front, "")
    assert yaml.safe_load(text.split("---\n")[1]) == (front or None)

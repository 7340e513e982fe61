"""Spreadsheet cells: nothing a certprep CSV holds starts like a formula, and every text comes back as it was."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certprep.domain.cells import FORMULA_START, cell_text, safe_cell

texts = st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", " ", "1"]), max_size=6)


@given(texts | st.text(max_size=20))
def test_a_safe_cell_never_starts_a_formula_and_reads_back(text: str) -> None:
    cell = safe_cell(text)
    assert cell[:1] not in FORMULA_START
    assert cell_text(cell) == text


def test_the_cases_that_matter() -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-2") == "'-2" and safe_cell("@x") == "'@x"
    assert safe_cell("plain") == "plain" and safe_cell("'quoted") == "'quoted"  # nothing to escape
    assert safe_cell("'=x") == "''=x" and safe_cell("''") == "'''" and safe_cell("'") == "'"
    assert (
        cell_text("'abc") == "'abc" and cell_text("=x") == "=x"
    )  # cells never escaped come back as they are

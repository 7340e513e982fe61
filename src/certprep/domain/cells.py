"""Spreadsheet cells that a spreadsheet will not run as formulas (CSV injection), written reversibly.

A cell whose text starts with =, +, -, @, a tab or a carriage return is a formula (or becomes one) when a
spreadsheet opens the file; a leading apostrophe makes it text. The apostrophe is added so that `cell_text` can take
it off again: it is also added before an apostrophe that is followed by one of those characters or by another
apostrophe, and `cell_text` removes exactly one apostrophe in those cases only. So `cell_text(safe_cell(t)) == t`
for every text, and a certprep CSV re-imports as it was written.
"""

from __future__ import annotations

FORMULA_START = frozenset("=+-@\t\r")


def _escaped(text: str) -> bool:
    """Whether `text` starts with an apostrophe that stands before a formula start or another apostrophe."""
    return text[:1] == "'" and text[1:2] != "" and (text[1:2] in FORMULA_START or text[1:2] == "'")


def safe_cell(text: str) -> str:
    """`text` as a cell no spreadsheet runs as a formula."""
    return "'" + text if text[:1] in FORMULA_START or _escaped(text) else text


def cell_text(cell: str) -> str:
    """The text a `safe_cell` cell was made from (a cell that was never escaped comes back as it is)."""
    return cell[1:] if _escaped(cell) else cell

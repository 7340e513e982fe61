"""Content on its way to the terminal: never read as Rich markup, never carrying escape sequences.

Item statements, options, explanations, case studies and report text come from content packs and learners. Every
piece of it goes through `clean` (printed as plain text or as Markdown) or `safe` (placed inside a Rich markup
string), so `[link=...]`, `[bold]` or an ESC byte in a pack reaches the screen as the characters it is.
"""

from __future__ import annotations

import re

from rich.markup import escape

# Whole ANSI sequences (CSI `ESC [ ... m`, OSC `ESC ] ... BEL|ST`, two-byte `ESC x`), then any C0 or C1 control
# character left but newline and tab.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """The text without escape sequences and control characters (newline and tab kept)."""
    return _CONTROL.sub("", _ANSI.sub("", str(text).replace("\r\n", "\n")))


def safe(text: object) -> str:
    """`clean` text, escaped for a Rich markup string: printed exactly as written."""
    return escape(clean(text))


def first_line(text: object, width: int = 100) -> str:
    """The first line of real text (code fences skipped), shortened to `width` characters."""
    lines = (ln.strip() for ln in clean(text).splitlines())
    line = next((ln for ln in lines if ln and not ln.startswith("```")), "")
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"

"""What a learner types during a terminal exam: a command (`:g 3`) or an answer (`B`, `A D`, `1=B`, `y`).

Both parsers are total: any text gives a command, an answer, or an `InvalidInput` saying what to type instead.
Items are numbered from 1, as the screen shows them (the JSON API's `position` counts from 0: item 1 is
position 0).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from certprep.domain.presentation import blank_numbers
from certprep.errors import InvalidInput

Action = Literal["next", "previous", "go", "mark", "review", "leave", "submit", "quit", "help"]

# (what to type, action, what it does): the help screen and the footer are written from this table
COMMANDS: tuple[tuple[str, Action, str], ...] = (
    (":n", "next", "next item (Enter alone does the same)"),
    (":p", "previous", "previous item"),
    (":g N", "go", "go to item N, numbered from 1 as shown"),
    (":m", "mark", "mark or unmark the item for review"),
    (":r", "review", "review screen: answered, marked and locked items of this section"),
    (":l", "leave", "leave the section (it locks: you cannot come back)"),
    (":s", "submit", "submit the attempt and see the score report"),
    (":q", "quit", "save and leave; the attempt (and its clock) go on, --resume continues it"),
    (":h", "help", "this help"),
)
_WORDS: dict[str, Action] = {
    **{typed[1:]: action for typed, action, _ in COMMANDS if " " not in typed},
    "next": "next",
    "prev": "previous",
    "back": "previous",
    "mark": "mark",
    "review": "review",
    "leave": "leave",
    "submit": "submit",
    "quit": "quit",
    "help": "help",
    "?": "help",
}
_GO = re.compile(r"(?:g|go|goto)\s*(.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Command:
    action: Action
    number: int | None = None  # `go`: the item number as shown (from 1)


def parse_command(text: str) -> Command | None:
    """A command, or None when the text is an answer; a malformed command is an InvalidInput."""
    typed = text.strip()
    if not typed:
        return Command("next")
    if not typed.startswith(":"):
        return None
    word = typed[1:].strip()
    action = _WORDS.get(word.lower())
    if action is not None:
        return Command(action)
    if m := _GO.fullmatch(word):
        number = m.group(1).strip()
        if re.fullmatch(r"[0-9]{1,6}", number):
            return Command("go", int(number))
        raise InvalidInput(
            f"{_short(typed)}: write :g and an item number as shown, e.g. :g 3", field="command"
        )
    raise InvalidInput(f"unknown command {_short(typed)}: type :h for the list of commands", field="command")


def _short(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:29] + "…")


def parse_answer(shown: Mapping[str, Any], text: str) -> Any:
    """Keyboard text -> a response in display labels for the item's type (the service checks the labels)."""
    words = [w for w in re.split(r"[\s,;]+", text.strip()) if w]
    kind = shown.get("type")
    if not words:
        raise InvalidInput("type an answer, or a command (:h lists them)", field="response")
    if kind == "single":
        if len(words) > 1:
            raise InvalidInput(
                f"this item takes one answer: type one letter, e.g. {words[0]}", field="response"
            )
        return words[0]
    if kind in ("multiple", "build-list"):
        return words
    if kind in ("drag-drop", "hot-area"):
        return _pairs(shown, words)
    if len(words) > 1:
        raise InvalidInput("this item takes one answer: y or n", field="response")
    answer = words[0].lower()
    return {"y": "yes", "n": "no"}.get(answer, answer)


def _pairs(shown: Mapping[str, Any], words: list[str]) -> dict[str, str]:
    """`1=B 2=A`: a drag-and-drop target or a hot-area blank (by its number, or its id) = a choice label."""
    drag = shown.get("type") == "drag-drop"
    blank_ids = {str(n): bid for bid, n in blank_numbers(shown).items()}
    pairs: dict[str, str] = {}
    for w in words:
        key, sep, value = w.partition("=")
        if not sep or not key or not value:
            raise InvalidInput(
                f"{_short(w)}: write pairs {'target=value, e.g. 1=B' if drag else 'blank=choice, e.g. 1=A'}",
                field="response",
            )
        key = key if drag else blank_ids.get(key, key)
        if key in pairs:
            raise InvalidInput(
                f"{'target' if drag else 'blank'} {key if drag else w.partition('=')[0]} is given twice",
                field="response",
            )
        pairs[key] = value
    return pairs

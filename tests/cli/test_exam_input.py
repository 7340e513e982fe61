"""What a learner types in the terminal exam: commands and answers parse, or fail with a message; never a crash."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.cli.exam_input import COMMANDS, Command, parse_answer, parse_command
from certprep.domain.exam import choice_order
from certprep.domain.items import Item, parse_response
from certprep.domain.presentation import present, to_ids
from certprep.errors import CertprepError, InvalidInput
from certprep.services.content import get_catalog
from tests.factories import TYPES, make_item

ITEMS: list[Item] = [make_item(kind, f"gen/{kind}", "yaml-pipelines", 3) for kind in TYPES]


def _yes_no() -> Item:
    from tests.factories import generated_bank

    bank = generated_bank(get_catalog().outline("AZ-400"), per_objective=0, series_per_group=1, cases=0)
    return bank.items[0]


ITEMS.append(_yes_no())
SHOWN = [(item, present(item, choice_order(item, random.Random(1)))) for item in ITEMS]


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("", Command("next")),
        ("  :n ", Command("next")),
        (":p", Command("previous")),
        (":g 3", Command("go", 3)),
        (":g3", Command("go", 3)),
        (":G 12", Command("go", 12)),
        (":m", Command("mark")),
        (":r", Command("review")),
        (":l", Command("leave")),
        (":s", Command("submit")),
        (":q", Command("quit")),
        (":h", Command("help")),
        (":?", Command("help")),
        ("B", None),
        ("1=A 2=B", None),
    ],
)
def test_commands_parse(typed: str, command: Command | None) -> None:
    assert parse_command(typed) == command


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (":gx", "':gx': write :g and an item number as shown, e.g. :g 3"),
        (":g", "':g': write :g and an item number as shown"),
        (":g -1", "write :g and an item number"),
        (":g 99999999999", "write :g and an item number"),
        (":x", "unknown command ':x': type :h for the list of commands"),
        (":", "unknown command ':'"),
    ],
)
def test_malformed_commands_say_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_command(typed)
    assert message in caught.value.message


def test_every_command_in_the_table_parses_to_its_action() -> None:
    for typed, action, _ in COMMANDS:
        command = parse_command(typed.replace(" N", " 2"))
        assert command is not None and command.action == action


def test_two_answers_on_a_single_answer_item_are_refused() -> None:
    _, shown = SHOWN[TYPES.index("single")]
    with pytest.raises(InvalidInput, match="this item takes one answer"):
        parse_answer(shown, "A B")
    assert parse_answer(shown, " b ") == "b"


def test_two_answers_on_a_yes_no_statement_are_refused() -> None:
    _, shown = SHOWN[-1]
    with pytest.raises(InvalidInput, match="this item takes one answer: y or n"):
        parse_answer(shown, "y n")
    assert parse_answer(shown, "Y") == "yes"


def test_hot_area_blanks_by_number_or_id_and_pairs_checked() -> None:
    _, shown = SHOWN[TYPES.index("hot-area")]
    assert parse_answer(shown, "1=A 2=c") == {"b1": "A", "b2": "c"}
    assert parse_answer(shown, "b2=B") == {"b2": "B"}
    with pytest.raises(InvalidInput, match=r"write pairs blank=choice, e\.g\. 1=A"):
        parse_answer(shown, "A")
    with pytest.raises(InvalidInput, match="blank 1 is given twice"):
        parse_answer(shown, "1=A 1=B")


def _handled(typed: str) -> None:
    """The line becomes a command, a valid response for every item type, or an InvalidInput with a message."""
    try:
        if parse_command(typed) is not None:
            return
    except InvalidInput as exc:
        assert exc.message
        return
    for item, shown in SHOWN:
        order = choice_order(item, random.Random(1))
        try:
            parse_response(item, to_ids(item, order, parse_answer(shown, typed)))
        except CertprepError as exc:
            assert isinstance(exc, InvalidInput) and exc.message


@given(st.text(max_size=40))
def test_no_typed_line_raises_anything_but_invalid_input(typed: str) -> None:
    _handled(typed)


@given(st.lists(st.sampled_from(["A", "b", "1", "2", "=", "b1", "y", ":", "g", " ", ",", "9"]), max_size=12))
def test_no_answer_built_from_likely_keys_raises_anything_but_invalid_input(keys: list[str]) -> None:
    _handled("".join(keys))

"""Browsing the built-in pack's flashcards by functional group and objective."""

from __future__ import annotations

import pytest

from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank, Flashcard, Source
from certprep.errors import InvalidInput, UnknownReference
from certprep.services.cards import browse_cards, card_html
from certprep.services.content import get_bank


@pytest.fixture
def bank() -> Bank:
    return get_bank()


def test_every_card_is_filed_under_the_current_outline_in_its_order(catalog: Catalog, bank: Bank) -> None:
    b = browse_cards(catalog=catalog, bank=bank)
    outline = catalog.outline("AZ-400")
    assert len(b.cards) == len(bank.flashcards) >= 250
    assert b.outline == outline.version and b.group is None and b.objective is None
    order = [o.id for o in outline.objectives]
    positions = [order.index(c.objective) for c in b.cards]
    assert positions == sorted(positions)
    assert [g.id for g in b.groups] == [g.id for g in outline.groups]
    assert sum(g.cards for g in b.groups) == len(bank.flashcards)
    card = b.cards[0]
    assert card.objective_text == outline.objective(card.objective).text  # type: ignore[union-attr]
    assert card.sources and card.sources[0].url.startswith("https://")


def test_filter_by_group_then_objective(catalog: Catalog, bank: Bank) -> None:
    security = browse_cards(catalog=catalog, bank=bank, group="security")
    assert security.cards and {c.group for c in security.cards} == {"security"}
    choice = next(g for g in security.groups if g.id == "security")
    assert len(security.cards) == choice.cards
    objective = security.cards[0].objective
    one = browse_cards(catalog=catalog, bank=bank, group="security", objective=objective)
    assert one.cards and {c.objective for c in one.cards} == {objective}
    alone = browse_cards(catalog=catalog, bank=bank, objective=objective)
    assert alone.cards == one.cards
    blank = browse_cards(catalog=catalog, bank=bank, group=" ", objective="")
    assert len(blank.cards) == len(bank.flashcards) and blank.group is None


def test_unknown_group_names_the_value_and_the_choices(catalog: Catalog, bank: Bank) -> None:
    with pytest.raises(InvalidInput) as exc:
        browse_cards(catalog=catalog, bank=bank, group="devops")
    assert "'devops'" in exc.value.message and "security" in exc.value.message
    assert exc.value.data["field"] == "group" and "instrumentation" in exc.value.data["choices"]


def test_unknown_objective_or_one_of_another_group(catalog: Catalog, bank: Bank) -> None:
    with pytest.raises(InvalidInput) as exc:
        browse_cards(catalog=catalog, bank=bank, objective="kql")
    assert "'kql'" in exc.value.message and "kql-queries" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        browse_cards(catalog=catalog, bank=bank, group="security", objective="kql-queries")
    assert "functional group 'security'" in exc.value.message and "key-vault" in exc.value.message
    assert "kql-queries" not in exc.value.data["choices"] and exc.value.data["field"] == "objective"


def test_unknown_exam(catalog: Catalog, bank: Bank) -> None:
    with pytest.raises(UnknownReference):
        browse_cards(catalog=catalog, bank=bank, exam="XX-1")


def test_card_markdown_is_rendered_without_raw_html() -> None:
    html = card_html("Use `az` <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<code>az</code>" in html and "<script>" not in html and "href" not in html


def test_cards_of_an_objective_not_in_the_outline_are_left_out(catalog: Catalog, bank: Bank) -> None:
    stray = Flashcard(
        "x/stray",
        "no-such-objective",
        "front",
        "back",
        (Source("https://example.org", bank.flashcards[0].sources[0].checked),),
    )
    b = browse_cards(catalog=catalog, bank=Bank(items=(), flashcards=(stray, bank.flashcards[0])))
    assert [c.id for c in b.cards] == [bank.flashcards[0].id]

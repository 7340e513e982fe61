"""Browsing the pack's flashcards by functional group and objective (scheduled review comes with the planner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certprep.domain.catalog import Catalog, FunctionalGroup, Objective, Outline
from certprep.domain.items import Bank, Flashcard, Source
from certprep.errors import InvalidInput
from certprep.packs.markdown import render_markdown


@dataclass(frozen=True, slots=True)
class ObjectiveChoice:
    id: str
    code: str
    text: str
    cards: int


@dataclass(frozen=True, slots=True)
class GroupChoice:
    id: str
    code: str
    title: str
    objectives: tuple[ObjectiveChoice, ...]

    @property
    def cards(self) -> int:
        return sum(o.cards for o in self.objectives)


@dataclass(frozen=True, slots=True)
class CardView:
    """A flashcard with the outline's words for where it belongs; front and back are pack Markdown."""

    id: str
    group: str
    group_title: str
    objective: str
    objective_code: str
    objective_text: str
    front: str
    back: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class CardBrowse:
    """The cards chosen (in outline order), the filters applied, and every group and objective to choose from."""

    exam: str
    outline: date
    group: str | None
    objective: str | None
    groups: tuple[GroupChoice, ...]
    cards: tuple[CardView, ...]


def browse_cards(
    *,
    catalog: Catalog,
    bank: Bank,
    exam: str = "AZ-400",
    group: str | None = None,
    objective: str | None = None,
) -> CardBrowse:
    """The pack's flashcards of one functional group and/or objective of the current outline (all by default)."""
    cert = catalog.certification(exam)
    outline = catalog.outline(cert.exam.code)
    group, objective = (group or "").strip() or None, (objective or "").strip() or None
    chosen = _check_filters(outline, group, objective)
    order: dict[str, int] = {o.id: n for n, o in enumerate(outline.objectives)}
    placed = [(c, outline.group_of(c.objective), outline.objective(c.objective)) for c in bank.flashcards]
    cards = tuple(
        _view(c, g, o)
        for c, g, o in sorted(placed, key=lambda x: order.get(x[0].objective, len(order)))
        if g is not None and o is not None and (chosen is None or o.id in chosen)
    )
    counts: dict[str, int] = {}
    for c in bank.flashcards:
        counts[c.objective] = counts.get(c.objective, 0) + 1
    groups = tuple(
        GroupChoice(
            g.id,
            g.code,
            g.title,
            tuple(ObjectiveChoice(o.id, o.code, o.text, counts.get(o.id, 0)) for o in g.objectives),
        )
        for g in outline.groups
    )
    return CardBrowse(cert.exam.code, outline.version, group, objective, groups, cards)


def _check_filters(outline: Outline, group: str | None, objective: str | None) -> frozenset[str] | None:
    """The objective ids the filters allow (None: all); a value the outline does not know names the choices."""
    by_id = {g.id: g for g in outline.groups}
    if group is not None and group not in by_id:
        raise InvalidInput(
            f"unknown functional group {group[:100]!r}; choose one of: {', '.join(by_id)}",
            field="group",
            choices=list(by_id),
        )
    scope: tuple[Objective, ...] = by_id[group].objectives if group else outline.objectives
    if objective is not None and objective not in {o.id for o in scope}:
        where = f"in functional group {group!r}" if group else f"in the {outline.exam} outline"
        raise InvalidInput(
            f"unknown objective {objective[:100]!r} {where}; choose one of: {', '.join(o.id for o in scope)}",
            field="objective",
            choices=[o.id for o in scope],
        )
    if objective is not None:
        return frozenset([objective])
    return frozenset(o.id for o in scope) if group else None


def _view(card: Flashcard, group: FunctionalGroup, objective: Objective) -> CardView:
    return CardView(
        card.id,
        group.id,
        group.title,
        objective.id,
        objective.code,
        objective.text,
        card.front,
        card.back,
        card.sources,
    )


def card_html(text: str) -> str:
    """A card's Markdown as HTML safe to insert in a page (raw HTML in the pack is shown as text)."""
    return render_markdown(text)

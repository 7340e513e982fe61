"""Flashcards: the browse page `/cards` and its JSON twin `GET /api/v1/cards`, filtered by group and objective.

Card text comes from the pack: the page renders it with the sanitising Markdown renderer; the back is revealed
by a `<details>` element (no JavaScript). An unknown group or objective is a 400 naming the value and the choices.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from certprep.errors import InvalidInput
from certprep.services.cards import CardBrowse, CardView, browse_cards, card_html
from certprep.services.content import get_bank
from certprep.web.access import OWN, RuledRoute
from certprep.web.schemas import ERRORS, CardsOut

router = APIRouter(route_class=RuledRoute, dependencies=[OWN])

Filter = Annotated[str | None, Query(max_length=100)]


def _browse(request: Request, group: str | None, objective: str | None) -> CardBrowse:
    state = request.app.state
    return browse_cards(
        catalog=state.catalog, bank=get_bank(state.bank_root), group=group, objective=objective
    )


@router.get("/api/v1/cards", tags=["cards"], responses=ERRORS, response_model=CardsOut)
def list_cards(request: Request, group: Filter = None, objective: Filter = None) -> CardsOut:
    """The pack's flashcards of a functional group and/or objective of the current outline (all by default)."""
    return CardsOut.model_validate(_browse(request, group, objective))


@router.get("/cards", include_in_schema=False, response_class=HTMLResponse)
def cards_page(request: Request, group: Filter = None, objective: Filter = None) -> HTMLResponse:
    status, error, field = 200, None, None
    try:
        chosen = _browse(request, group, objective)
    except InvalidInput as exc:
        status, error, field = 400, exc.message, str(exc.data.get("field", "group"))
        chosen = _browse(request, None, None)
    cards = () if error else chosen.cards
    by_objective: dict[str, list[CardView]] = {}
    for card in cards:
        by_objective.setdefault(card.objective, []).append(card)
    context = {
        "b": chosen,
        "cards": cards,
        "by_objective": by_objective,
        "groups_shown": {card.group for card in cards},
        "html": card_html,
        "group_value": (group or "").strip(),
        "objective_value": (objective or "").strip(),
        "error": error,
        "error_field": field,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "cards.html", context, status_code=status
    )
    return response

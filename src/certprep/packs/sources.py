"""The citations of a pack's bank: every source URL of a live item (case-study and yes/no statements included),
flashcard and study link, with the date it was last checked (`domain.freshness` judges them)."""

from __future__ import annotations

from certprep.domain.freshness import Citation
from certprep.domain.items import Bank


def citations(bank: Bank) -> list[Citation]:
    """Every citation of the bank; retired items are left out (nobody sees them, nothing to keep true)."""
    out = [
        Citation(s.url, "item", item.meta.id, s.checked)
        for item in bank.items
        if item.meta.status != "retired"
        for s in item.meta.sources
    ]
    out += [
        Citation(s.url, "flashcard", card.id, s.checked) for card in bank.flashcards for s in card.sources
    ]
    out += [Citation(x.url, "study-link", f"{x.objective}: {x.title}", x.checked) for x in bank.study_links]
    return out

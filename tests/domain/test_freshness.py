"""The freshness rule: citations grouped by page, ages, stale at more than the age, never-checked is stale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certprep.domain.freshness import Citation, cited_by, freshness_report, page_of
from certprep.errors import InvalidInput

TODAY = date(2026, 12, 6)
DOCS = "https://learn.microsoft.com/en-us/azure/devops/pipelines/process/stages"


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_ages_and_the_boundary_of_the_age() -> None:
    report = freshness_report(
        [
            Citation(DOCS, "item", "az-400/a", ago(180)),
            Citation(DOCS + "?view=azure-devops#stages", "flashcard", "az-400/flashcards/x", ago(30)),
            Citation("https://docs.github.com/en/actions", "item", "az-400/b", ago(181)),
        ],
        today=TODAY,
    )
    assert report.max_age_days == 180 and report.citations == 3
    by_url = {p.url: p for p in report.pages}
    stages = by_url["https://learn.microsoft.com/azure/devops/pipelines/process/stages"]
    assert (stages.last_checked, stages.oldest_checked, stages.age_days) == (ago(30), ago(180), 30)
    assert [c.ref for c in stages.citations] == ["az-400/a", "az-400/flashcards/x"]
    assert stages.stale == () and not stages.is_stale  # exactly 180 days is not older than 180
    actions = by_url["https://docs.github.com/en/actions"]
    assert [c.ref for c in actions.stale] == ["az-400/b"] and actions.age_days == 181
    assert (report.stale_pages, report.stale_citations, report.ok) == (1, 1, False)
    assert report.pages[0] is actions  # stale pages first


def test_a_page_is_stale_when_any_citation_is_and_never_checked_is_stale() -> None:
    report = freshness_report(
        [
            Citation(DOCS, "item", "az-400/fresh", ago(1)),
            Citation(DOCS, "item", "az-400/old", ago(400)),
            Citation(
                "https://learn.microsoft.com/en-us/training/x/", "study-link", "yaml-pipelines: X", None
            ),
        ],
        today=TODAY,
        max_age_days=90,
    )
    first, second = report.pages
    assert first.url == "https://learn.microsoft.com/training/x" and first.last_checked is None
    assert first.age_days is None and first.is_stale  # never checked: reviewed first of all
    assert [c.ref for c in second.stale] == ["az-400/old"] and second.last_checked == ago(1)
    assert cited_by(second) == "2 items" and cited_by(first) == "1 study link"


def test_all_fresh_and_an_empty_bank() -> None:
    assert freshness_report([Citation(DOCS, "item", "x", ago(0))], today=TODAY, max_age_days=0).ok
    empty = freshness_report([], today=TODAY)
    assert empty.ok and empty.pages == () and empty.citations == 0


def test_same_page_in_any_locale_view_or_fragment() -> None:
    assert page_of("https://Learn.microsoft.com/en-us/azure/x/?tabs=yaml#a") == page_of(
        "https://learn.microsoft.com/azure/x"
    )
    assert page_of("https://docs.github.com/en/actions/") == "https://docs.github.com/en/actions"


@pytest.mark.parametrize("days", [-1, 36_501])
def test_an_impossible_age_names_the_option(days: int) -> None:
    with pytest.raises(InvalidInput, match=f"max age must be 0 to 36500 days, got {days}"):
        freshness_report([], today=TODAY, max_age_days=days)

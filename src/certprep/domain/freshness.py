"""Source freshness: every page a pack cites, when it was last checked, who cites it, and which citations are
older than an age an author chooses (the review plan). Pure: the day is passed in, nothing is fetched.

A citation is an item, flashcard or study link pointing at a page with the date its author last re-read that page
for it (`checked`). A citation is stale when it was never checked (a study link without a date) or when its check
is more than `max_age_days` days old; a page is stale when any of its citations is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from certprep.errors import InvalidInput

CitationKind = Literal["item", "flashcard", "study-link"]
KINDS: tuple[CitationKind, ...] = ("item", "flashcard", "study-link")
DEFAULT_MAX_AGE_DAYS = 180
LOCALE = re.compile(r"^/[a-z]{2}-[a-z]{2}/", re.I)
MAX_AGE_LIMIT = 36_500


@dataclass(frozen=True, slots=True)
class Citation:
    """One use of a page: what cites it (`ref`: an item or flashcard id, or a study link's objective and title)."""

    url: str
    kind: CitationKind
    ref: str
    checked: date | None


@dataclass(frozen=True, slots=True)
class CitedPage:
    """A cited page (its URL without fragment or trailing slash) with every citation and the stale ones."""

    url: str
    last_checked: date | None
    oldest_checked: date | None
    age_days: int | None
    citations: tuple[Citation, ...]
    stale: tuple[Citation, ...]
    is_stale: bool


@dataclass(frozen=True, slots=True)
class FreshnessReport:
    """Pages stale first (oldest check first), then the fresh ones by URL."""

    today: date
    max_age_days: int
    pages: tuple[CitedPage, ...]
    citations: int
    stale_pages: int
    stale_citations: int

    @property
    def ok(self) -> bool:
        return self.stale_pages == 0


def page_of(url: str) -> str:
    """The page a URL names: no fragment, query (`?view=`, `?tabs=` pick a view of one page) or trailing slash, the
    host in lower case, and on learn.microsoft.com no locale (`/en-us/`): the same page read in any language."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    path = parts.path.rstrip("/") or "/"
    if host == "learn.microsoft.com":
        path = LOCALE.sub("/", path, count=1)
    return urlunsplit((parts.scheme.lower(), host, path, "", ""))


def check_max_age(days: int) -> int:
    """A usable age limit in days, else InvalidInput naming the option."""
    if not 0 <= days <= MAX_AGE_LIMIT:
        raise InvalidInput(f"max age must be 0 to {MAX_AGE_LIMIT} days, got {days}", field="max_age")
    return days


def is_stale(citation: Citation, *, today: date, max_age_days: int) -> bool:
    """Never checked, or checked more than max_age_days days before today."""
    return citation.checked is None or (today - citation.checked).days > max_age_days


def freshness_report(
    citations: Iterable[Citation], *, today: date, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> FreshnessReport:
    """Group citations by page and mark the ones older than `max_age_days` (see the module docstring)."""
    check_max_age(max_age_days)
    by_page: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        by_page[page_of(c.url)].append(c)
    pages = []
    for url, cites in by_page.items():
        cites.sort(key=lambda c: (KINDS.index(c.kind), c.ref))
        dates = [c.checked for c in cites if c.checked is not None]
        last = max(dates, default=None)
        stale = tuple(c for c in cites if is_stale(c, today=today, max_age_days=max_age_days))
        pages.append(
            CitedPage(
                url=url,
                last_checked=last,
                oldest_checked=min(dates, default=None),
                age_days=(today - last).days if last else None,
                citations=tuple(cites),
                stale=stale,
                is_stale=bool(stale),
            )
        )
    pages.sort(key=lambda p: (not p.is_stale, _oldest(p) if p.is_stale else date.min, p.url))
    return FreshnessReport(
        today=today,
        max_age_days=max_age_days,
        pages=tuple(pages),
        citations=sum(len(p.citations) for p in pages),
        stale_pages=sum(p.is_stale for p in pages),
        stale_citations=sum(len(p.stale) for p in pages),
    )


def _oldest(page: CitedPage) -> date:
    """The check date a review of the page would start from (a never-checked citation first of all)."""
    if any(c.checked is None for c in page.citations):
        return date.min
    return page.oldest_checked or date.min


def cited_by(page: CitedPage) -> str:
    """'3 items, 1 flashcard' (the citing kinds with their counts)."""
    counts = {k: sum(c.kind == k for c in page.citations) for k in KINDS}
    words = {"item": "item", "flashcard": "flashcard", "study-link": "study link"}
    return ", ".join(f"{n} {words[k]}{'s' if n != 1 else ''}" for k, n in counts.items() if n)

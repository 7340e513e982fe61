"""URLs in pack files: the `WebUrl` field type used by every model field that is a URL, the `SourceText` type
for free-text sources, and the Markdown links and images of item and flashcard files, all http(s) only (the rule
and its messages live in `domain.links`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from certprep.domain.links import is_web_url, looks_like_url, shown, url_problem
from certprep.packs.markdown import markdown_links
from certprep.packs.yamlfile import Located, Path_, Problem

# Only strings that can hold a link, an image, an autolink or a link reference definition are parsed.
_MARKERS = ("](", "<", "]:")


def _web_url(value: Any) -> Any:
    if isinstance(value, str) and (problem := url_problem(value)):
        raise PydanticCustomError("web_url", "{problem}", {"problem": problem})
    return value


def _source_text(value: Any) -> Any:
    if isinstance(value, str) and looks_like_url(value) and not is_web_url(value):
        raise PydanticCustomError(
            "web_url",
            "{problem}",
            {"problem": f"a source given as a URL must be http(s), not {shown(value)}"},
        )
    return value


WebUrl = Annotated[str, BeforeValidator(_web_url)]
"""A URL field: http(s) with a host, no spaces or control characters (checked before any pattern)."""
SourceText = Annotated[str, BeforeValidator(_source_text)]
"""Free text naming a fact's source; when it starts with a URL, that URL is http(s)."""


def markdown_problems(text: str, file: str, line: int, field: str) -> list[Problem]:
    """A problem for every Markdown link, image or autolink in `text` (starting at `line`) that is not http(s)."""
    if ":" not in text or not any(m in text for m in _MARKERS):
        return []
    out = []
    for offset, kind, url in markdown_links(text):
        if problem := url_problem(url):
            out.append(Problem(file, line + offset, f"{field}: Markdown {kind}: {problem}"))
    return out


def yaml_link_problems(located: Located, file: str) -> list[Problem]:
    """Markdown link problems in every string of a YAML document (prompts, options, explanations, tabs, cards)."""
    out: list[Problem] = []
    for path, text in _strings(located.data, ()):
        field = ".".join(str(x) for x in path) or "(top level)"
        out.extend(markdown_problems(text, file, located.line_of(path), field))
    return out


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))

"""Safe Markdown rendering for prompts, explanations and case-study tabs.

markdown-it-py in CommonMark mode with raw HTML off: a `<script>` in a pack is shown as text, never run.
Links are limited to http(s) and mailto (markdown-it already refuses javascript:, vbscript:, file: and data:
URLs except images). Fenced code keeps its language as `class="language-..."` (yaml, bicep, kql, powershell,
bash...); hot-area blanks `[[blank:id]]` are left as text for the face to turn into controls.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    default_validate = md.validateLink
    md.validateLink = lambda url: default_validate(url) and url.strip().lower().startswith(SAFE_SCHEMES)  # type: ignore[method-assign]
    return md


def render_markdown(text: str) -> str:
    """Markdown -> HTML that is safe to insert in a page."""
    html: str = _parser().render(text)
    return html

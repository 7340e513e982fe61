"""Safe Markdown rendering for prompts, explanations and case-study tabs.

markdown-it-py in CommonMark mode with raw HTML off: a `<script>` in a pack is shown as text, never run.
Links, images and autolinks are limited to http(s), mailto, `#` and `/` when rendered (markdown-it already
refuses javascript:, vbscript:, file: and data: URLs except data: images; its normalised URL is checked, so spaces
and control characters cannot hide a scheme); `markdown_links` lists every link and image destination as written,
for `certprep pack check`, which accepts only http(s). Fenced code keeps its language as `class="language-..."` (yaml, bicep, kql, powershell,
bash...); hot-area blanks `[[blank:id]]` are left as text for the face to turn into controls.
Every code block is `<pre tabindex="0">` and every table `<table tabindex="0">`: a long line or a wide table scrolls
sideways inside itself (the stylesheet), and a keyboard user must be able to reach it to scroll it (WCAG 2.1.1;
axe's `scrollable-region-focusable`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    default_validate = md.validateLink
    md.validateLink = lambda url: default_validate(url) and url.strip().lower().startswith(SAFE_SCHEMES)  # type: ignore[method-assign]
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)  # the default renderer, whose rules are a dict
    for rule in ("fence", "code_block"):
        md.add_render_rule(rule, _focusable(renderer.rules[rule]))
    md.add_render_rule("table_open", _focusable_table)
    return md


def _focusable_table(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("tabindex", "0")
    html: str = renderer.renderToken(tokens, idx, options, env)
    return html


def _focusable(default: Any) -> Any:
    """A code-block render rule whose `<pre>` can take keyboard focus, so a sideways-scrolling block is reachable."""

    def rule(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        html: str = default(tokens, idx, options, env)
        return html.replace("<pre>", '<pre tabindex="0">', 1)

    return rule


@cache
def _lister() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def markdown_links(text: str) -> list[tuple[int, str, str]]:
    """(line from 0, "link", "image" or "autolink", URL) for every destination in Markdown text, safe or not."""
    out: list[tuple[int, str, str]] = []
    for block in _lister().parse(text):
        line = block.map[0] if block.map else 0
        for token in _descendants(block.children or []):
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "image":
                out.append((line, "image", str(token.attrGet("src") or "")))
            elif token.type == "link_open":
                kind = "autolink" if token.markup == "autolink" else "link"
                out.append((line, kind, str(token.attrGet("href") or "")))
    return out


def _descendants(tokens: list[Token]) -> list[Token]:
    return [t for token in tokens for t in (token, *_descendants(token.children or []))]


def render_markdown(text: str) -> str:
    """Markdown -> HTML that is safe to insert in a page."""
    html: str = _parser().render(text)
    return html

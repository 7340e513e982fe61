"""HTML question text (Moodle, GIFT `[html]`, QTI bodies) -> the Markdown certprep items are written in.

Pack Markdown must hold no raw HTML, so tags become their Markdown equivalents (paragraphs, line breaks, code,
emphasis, lists, links) and any other tag is dropped; the reader reports that as a warning on the item.
Parsed with the standard library's tolerant HTML tokenizer: it never fetches or expands anything.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_KNOWN = _BLOCK | {
    "br",
    "pre",
    "code",
    "b",
    "strong",
    "i",
    "em",
    "li",
    "a",
    "span",
    "td",
    "th",
    "tbody",
    "thead",
}
_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0
        self.dropped: set[str] = set()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _KNOWN:
            self.dropped.add(tag)
        if tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.out.append("[")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            self.out.append(f"]({self.href})" if self.href else "]")
            self.href = None
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_markdown(text: str) -> tuple[str, set[str]]:
    """(Markdown, tags that had no Markdown equivalent and were dropped)."""
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.out)
    joined = re.sub(r"[ \t]+\n", "\n", joined)
    joined = re.sub(r"\n{3,}", "\n\n", joined)
    return joined.strip(), parser.dropped


def to_markdown(text: str, fmt: str, lost: list[str], what: str) -> str:
    """Question text in a format (html, moodle, plain, markdown) -> Markdown; HTML conversion is noted in `lost`."""
    if fmt in ("html", "moodle_auto_format", "moodle") and looks_like_html(text):
        md, dropped = html_to_markdown(text)
        note = f"{what}: HTML converted to Markdown"
        if dropped:
            note += f" (dropped tags: {', '.join(sorted(dropped))})"
        if note not in lost:
            lost.append(note)
        return md
    return text

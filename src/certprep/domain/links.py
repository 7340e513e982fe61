"""Links taken from content packs: only http(s) URLs are ever followed.

A pack is untrusted content. A `javascript:`, `vbscript:` or `data:` URL in an `href` runs (or shows) whatever its
author wrote when a learner clicks it, so every URL a pack gives is checked twice: by `certprep pack check`
(`url_problem`, one message for every URL field) and again where a page prints it (`safe_url`, the templates'
filter). Browsers ignore leading and trailing spaces and control characters and drop tabs and newlines anywhere
(WHATWG URL standard, "basic URL parser"), so ` JaVa\tScRiPt:` is `javascript:` to them: the scheme is read
after removing every space and control character, which can only turn a URL into a relative one, never into
another scheme.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http://", "https://")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_EDGE = "".join(chr(c) for c in range(0x21)) + "\x7f"
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SHOWN = 60


def is_web_url(url: object) -> bool:
    """True when a browser would read `url` as an http:// or https:// URL."""
    if not isinstance(url, str):
        return False
    return _SPACE_OR_CONTROL.sub("", url).lower().startswith(WEB_SCHEMES)


def safe_url(url: object) -> str:
    """`url` as a browser reads it when it is http(s), else `#` (a link that goes nowhere)."""
    if not isinstance(url, str) or not is_web_url(url):
        return "#"
    return _TAB_OR_NEWLINE.sub("", url.strip(_EDGE))


def url_problem(url: str) -> str | None:
    """Why a URL written in a pack is refused (not http(s), no host, spaces or control characters), or None."""
    if not is_web_url(url):
        return f"URL must be http(s), not {shown(url)}"
    if _SPACE_OR_CONTROL.search(url):
        return f"URL must not contain spaces or control characters: {shown(url)}"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        return f"URL must name a host: {shown(url)}"
    return None


def looks_like_url(text: str) -> bool:
    """True when free text starts with a URL (`javascript:x`, `https://...`) rather than prose such as
    `Microsoft Learn: retake policy` (a colon followed by a space) or `az400-facts.md section 3`."""
    first = _TAB_OR_NEWLINE.sub("", text).strip(_EDGE).split(maxsplit=1)
    cleaned = _SPACE_OR_CONTROL.sub("", first[0]) if first else ""
    return re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:\S", cleaned) is not None


def shown(url: str) -> str:
    """The URL quoted for a message: repr (control characters visible), cut at 60 characters."""
    return repr(url if len(url) <= _SHOWN else url[:_SHOWN] + "...")


def local_path(target: object, default: str = "/") -> str:
    """Where to go after signing in: `target` when it is a path on this site ("/plan?x=1"), else `default`.
    "//evil.example" and "/\\evil.example" are other sites to a browser (scheme-relative), so they are refused."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return default
    if target.startswith(("//", "/\\")) or _SPACE_OR_CONTROL.search(target):
        return default
    return target

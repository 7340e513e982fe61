"""Request-level protections, as one pure ASGI middleware: the Host check (DNS rebinding), the Origin check on
state-changing requests (cross-site forms and fetches), and the security headers on every response it sees.

The hosts served come from Settings (`allowed_hosts`, `public_origin`); proxy headers count only when
`trust_proxy_headers` is on, and then only their last value (the one our own proxy added). Refusals are short,
fixed texts: nothing from the request is echoed back.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certprep.config import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
DEFAULT_PORTS = {"http": 80, "https": 443}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000"  # one year; sent only when the public URL is https
_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error {status} · certprep</title>\n'
    '<link rel="stylesheet" href="/static/certprep.css">\n</head>\n<body>\n<main id="main">\n'
    '<h1>That did not work</h1>\n<p>{message}</p>\n<p><a href="/">Back to the catalog</a></p>\n</main>\n'
    "</body>\n</html>\n"
)


def security_headers(settings: Settings) -> dict[str, str]:
    """The headers added to every response."""
    https = settings.public_url is not None and settings.public_url.startswith("https:")
    return {**HEADERS, **({"Strict-Transport-Security": HSTS} if https else {})}


def host_port(scheme: str, host: str) -> str | None:
    """A Host value in the form the allowed list uses (lower case, the scheme's default port left out), or None
    when it is not `name[:port]`."""
    host = host.strip().lower()
    if host.startswith("["):
        if "]" not in host:
            return None
        name, _, rest = host.partition("]")
        name += "]"
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:]
    else:
        name, _, port = host.partition(":")
    if not name or name == "[]" or (port and not port.isdigit()) or (not port and host.endswith(":")):
        return None
    return name if not port or int(port) == DEFAULT_PORTS.get(scheme) else f"{name}:{port}"


def is_allowed_host(value: str, allowed: tuple[str, ...]) -> bool:
    """True when a normalised host[:port] is in `allowed`: exactly, or by name for a `name:*` entry."""
    name = value[: value.rindex(":")] if value.rfind(":") > value.rfind("]") else value
    return value in allowed or f"{name}:*" in allowed


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL (an Origin or a Referer), normalised; None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.netloc or "@" in parts.netloc:
        return None
    scheme = parts.scheme.lower()
    host = host_port(scheme, parts.netloc)
    return None if host is None else f"{scheme}://{host}"


class Guard:
    """Pure ASGI middleware: 400 for a Host this server does not answer to, 403 for a state-changing request whose
    Origin (or, without one, Referer) is another site, and the security headers on every response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send_with_headers)
        else:
            await _refuse(scope, send_with_headers, *refusal)

    def refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """(status, code, message) when the request is refused, else None."""
        headers = _header_lists(scope)
        scheme = self._scheme(scope, headers)
        hosts = self._forwarded(headers, b"x-forwarded-host") or headers.get(b"host", [])
        host = host_port(scheme, hosts[0]) if len(hosts) == 1 else None
        if host is None or not is_allowed_host(host, self.settings.allowed_hosts):
            return 400, "unknown_host", "unknown host"
        if scope["method"] in SAFE_METHODS or self._same_origin(headers, f"{scheme}://{host}"):
            return None
        return 403, "cross_site", "cross-site request refused: it did not come from a page of this server"

    def _same_origin(self, headers: dict[bytes, list[str]], own: str) -> bool:
        sent = headers.get(b"origin") or headers.get(b"referer")
        if not sent:
            return True  # neither header: not a browser (the CLI, curl); forms also carry CSRF tokens
        ours = {own, self.settings.public_origin} - {None}  # None: no public URL, never a match
        return all(origin_of(value) in ours for value in sent)

    def _scheme(self, scope: Scope, headers: dict[bytes, list[str]]) -> str:
        proto = self._forwarded(headers, b"x-forwarded-proto")
        if proto and proto[-1].lower() in DEFAULT_PORTS:
            return proto[-1].lower()
        return str(scope.get("scheme", "http"))

    def _forwarded(self, headers: dict[bytes, list[str]], name: bytes) -> list[str]:
        """The last value of a proxy header (the one our proxy added), only when proxy headers are trusted."""
        if not self.settings.trust_proxy_headers or name not in headers:
            return []
        last = ",".join(headers[name]).split(",")[-1].strip()
        return [last] if last else []


def _header_lists(scope: Scope) -> dict[bytes, list[str]]:
    headers: dict[bytes, list[str]] = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.lower(), []).append(value.decode("latin-1"))
    return headers


async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": {"code": code, "message": message, "data": {}}}).encode()
        media = b"application/json"
    else:
        body = _PAGE.format(status=status, message=message).encode()
        media = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

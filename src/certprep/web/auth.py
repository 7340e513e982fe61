"""Who is asking: a browser session (cookie) or a personal access token (`Authorization: Bearer cpat_...`), resolved
once per request by the `Authenticate` middleware; CSRF protection for requests a session cookie authenticates.

A state-changing request (POST, PUT, PATCH, DELETE) that carries the session cookie must also carry the session's
CSRF token, as the `X-CSRF-Token` header (htmx sends it on every request, from `hx-headers` on the body) or as the
form field `csrf` (plain forms, upload forms included, so they work without JavaScript). Token requests carry no ambient credential, so they need none.

A request with neither credential acts for nobody: every route's access rule (web/access.py) decides whether that
is enough (the login page, the docs, the calendar feed's secret link) or a 401 (a page redirects to /login).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certprep.domain.accounts import token_allows
from certprep.services.accounts import Who, session_account, token_account

COOKIE = "certprep_session"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM = b"application/x-www-form-urlencoded"
MULTIPART = b"multipart/form-data"
PUBLIC_FILES = ("/static/", "/favicon.ico")


def who(request: Request) -> Who | None:
    """The account the middleware found for this request, or None."""
    found: Who | None = request.scope.get("state", {}).get("who")
    return found


def role_of(request: Request) -> str | None:
    """The asking account's role, or None when nobody is signed in."""
    w = who(request)
    return w.account.role if w else None


def csrf_of(request: Request) -> str:
    """The CSRF token pages put into forms and into htmx's headers ("" when not signed in)."""
    w = who(request)
    return w.csrf if w else ""


class Authenticate:
    """Pure ASGI middleware: find the account (token first, then cookie), refuse a session request without its
    CSRF token (403, nothing read further), and hand the body on untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_FILES):
            await self.app(scope, receive, send)  # static files never act for anyone: no lookup on their path
            return
        request = Request(scope)
        state = request.app.state
        found: Who | None = None
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            found = await run_in_threadpool(token_account, state.db, token=bearer[7:].strip())
            if found is None:  # a wrong, revoked or forged token never falls back to anyone
                await _refuse(send, 401, "not_signed_in", "unknown or revoked access token")
                return
            if not token_allows(found.scopes, scope["method"]):
                await _refuse(send, 403, "forbidden", "this access token may only read (its scope is read)")
                return
        elif COOKIE in request.cookies:
            found = await run_in_threadpool(
                session_account, state.db, cookie=request.cookies[COOKIE], now=state.now()
            )
        scope.setdefault("state", {})["who"] = found
        if found is None or found.via != "session" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        if request.headers.get("x-csrf-token") != found.csrf:
            body, more = await _read(receive)
            sent = await _form_csrf(scope, request.headers.get("content-type", "").encode(), body)
            if sent != found.csrf:
                await _refuse(send, 403, "csrf", "missing or wrong CSRF token: reload the page and try again")
                return
        await self.app(scope, _replay(body, receive) if not more else receive, send)


async def _form_csrf(scope: Scope, content_type: bytes, body: bytes) -> str:
    """The `csrf` field of a form body: a plain form, or an upload form (multipart, parsed by Starlette from the
    body read once; the body limit has already bounded its size)."""
    if content_type.startswith(FORM):
        return parse_qs(body.decode("latin-1")).get("csrf", [""])[0]
    if not content_type.startswith(MULTIPART):
        return ""

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    try:
        async with Request(scope, _replay(body, nothing)).form() as form:
            value = form.get("csrf", "")
            return value if isinstance(value, str) else ""
    except Exception:  # a malformed upload carries no token: refused like any other
        return ""


async def _read(receive: Receive) -> tuple[bytes, bool]:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    done = False

    async def again() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "data": {}}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

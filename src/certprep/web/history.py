"""Boosted navigation keeps the address bar true: a page htmx fetched (after a form's redirect, too) tells htmx its
own address, so a reload or a bookmark shows the same page the learner sees."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class PushUrl:
    """Pure ASGI middleware: on a successful GET made by htmx, add `HX-Push-Url` with the path asked for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        if scope["type"] != "http" or scope["method"] != "GET" or headers.get(b"hx-request") != b"true":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        where = scope["path"] + (f"?{query}" if query else "")

        async def send_with_url(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                MutableHeaders(scope=message).append("HX-Push-Url", where)
            await send(message)

        await self.app(scope, receive, send_with_url)

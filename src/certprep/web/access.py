"""Who may call which route: every route carries one access rule, as a FastAPI dependency (`Depends(OWN)` on the
router or on the route), and `create_app` refuses to start when a route has none. The rule itself is
`domain.accounts.refusal`; this module only applies it to a request and finds the rule of a route.

Object-level checks (this attempt is yours, this team is one you manage) are the services' work: they answer 404 for
what is not the asker's, so a refusal says nothing about what exists.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from certprep.domain.accounts import ACCESS, Access, Account, refusal
from certprep.errors import Forbidden, NotSignedIn
from certprep.web.auth import who

# Routes the framework adds, not ours: the OpenAPI document (public, like the API docs page) and the static files.
FRAMEWORK_PUBLIC = frozenset({"/api/v1/openapi.json", "/static"})


class Rule:
    """A route's access rule as a dependency: refuses with 401 (no account) or 403 (no right) before the route runs."""

    def __init__(self, access: Access) -> None:
        self.access = access

    def __call__(self, request: Request) -> None:
        w = who(request)
        why = refusal(self.access, w.account.role if w else None)
        if why == "sign-in":
            raise NotSignedIn("sign in first", next=request.url.path)
        if why == "forbidden":
            raise Forbidden("your account does not have the right to this page")

    def __repr__(self) -> str:
        return f"Rule({self.access!r})"


class RuledRoute(APIRoute):
    """A route that applies its access rules before FastAPI reads and parses the request body.

    FastAPI reads a route's body (a JSON document, a form, a 50 MB upload) before it solves the route's dependencies,
    so a `Depends(Rule)` alone would let nobody make the server parse an upload it then refuses. Every router is made
    with `route_class=RuledRoute` (`create_app` refuses a route that is not one); the dependency stays too, so the
    rule shows in the route table and runs the same function twice at no cost.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        rules = [d.call for d in self.dependant.dependencies if isinstance(d.call, Rule)]

        async def ruled(request: Request) -> Response:
            for rule in rules:
                rule(request)  # 401 or 403 before a byte of the body is read
            return await handler(request)

        return ruled


def asker(request: Request) -> Account:
    """The signed-in account making the request (401 without one): what a route passes to a service as the actor."""
    w = who(request)
    if w is None:
        raise NotSignedIn("sign in first")
    return w.account


PUBLIC = Depends(Rule("public"))
SECRET_LINK = Depends(Rule("secret-link"))
OWN = Depends(Rule("own"))
TEAM = Depends(Rule("team"))
ITEMS = Depends(Rule("items"))
ACCOUNTS = Depends(Rule("accounts"))


@dataclass(frozen=True, slots=True)
class RouteRule:
    """One row of the route table: the methods, the full path and the access rule (None: no rule, a bug)."""

    methods: tuple[str, ...]
    path: str
    access: Access | None


def rule_of(route: BaseRoute) -> Access | None:
    """The access rule of a route (the strictest when a router's and a route's both apply), or None if it has none
    or is a plain APIRoute (whose rule would run only after its body is parsed)."""
    if isinstance(route, APIRoute) and not isinstance(route, RuledRoute):
        return None
    if not isinstance(route, APIRoute):
        path = route.path if isinstance(route, Route | Mount) else ""
        return "public" if path in FRAMEWORK_PUBLIC else None
    found = [d.call.access for d in route.dependant.dependencies if isinstance(d.call, Rule)]
    return max(found, key=ACCESS.index) if found else None


def route_table(app: FastAPI, routers: Sequence[tuple[APIRouter, str]]) -> list[RouteRule]:
    """Every route the app answers: those of the routers it includes (with their prefixes) and those added to the
    app itself (the framework's OpenAPI document and static files, or a route added later)."""
    table = [
        RouteRule(
            tuple(sorted(getattr(r, "methods", None) or ())), prefix + getattr(r, "path", ""), rule_of(r)
        )
        for router, prefix in routers
        for r in router.routes
    ]
    for r in app.routes:
        if isinstance(r, APIRoute | Route | Mount):  # an included router shows as one entry of its own kind
            table.append(RouteRule(tuple(sorted(getattr(r, "methods", None) or ())), r.path, rule_of(r)))
    return table


def unruled(table: Sequence[RouteRule]) -> list[str]:
    """Routes without an access rule ("METHODS path"): create_app refuses to start while any is left."""
    return [f"{','.join(r.methods)} {r.path}" for r in table if r.access is None]

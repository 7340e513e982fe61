"""Who may call which route: every route carries one access rule, as a FastAPI dependency (`Depends(OWN)` on the
router or on the route), and `create_app` refuses to start when a route has none. The rule itself is
`domain.accounts.refusal`; this module only applies it to a request and finds the rule of a route.

Object-level checks (this attempt is yours, this team is one you manage) are the services' work: they answer 404 for
what is not the asker's, so a refusal says nothing about what exists.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route

from certprep.domain.accounts import ACCESS, Access, refusal
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


PUBLIC = Depends(Rule("public"))
SECRET_LINK = Depends(Rule("secret-link"))
OWN = Depends(Rule("own"))
TEAM = Depends(Rule("team"))
ITEMS = Depends(Rule("items"))
ACCOUNTS = Depends(Rule("accounts"))


def rule_of(route: BaseRoute) -> Access | None:
    """The access rule of a route (the strictest when a router's and a route's both apply), or None if it has none."""
    if not isinstance(route, APIRoute):
        path = route.path if isinstance(route, Route | Mount) else ""
        return "public" if path in FRAMEWORK_PUBLIC else None
    found = [d.call.access for d in route.dependant.dependencies if isinstance(d.call, Rule)]
    return max(found, key=ACCESS.index) if found else None


def unruled(routes: list[BaseRoute]) -> list[str]:
    """Routes without an access rule ("METHODS path"): create_app refuses to start while any is left."""
    out = []
    for route in routes:
        if rule_of(route) is None:
            methods = ",".join(sorted(getattr(route, "methods", None) or []))
            out.append(f"{methods} {getattr(route, 'path', route)!r}")
    return out

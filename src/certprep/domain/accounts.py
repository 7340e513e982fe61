"""Accounts and who may do what: roles, the rules a route asks, and the session and token lifetimes.

Roles: a learner works on their own preparation; a manager also sees the teams they manage (bands, not answers); an
author also sees item statistics and the pack checker; an admin also manages accounts and accommodations. Each
role includes the learner's rights for their own data. Pure: no database, no framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, cast

from certprep.errors import InvalidInput

Role = Literal["learner", "manager", "author", "admin"]
ROLES: tuple[Role, ...] = ("learner", "manager", "author", "admin")
Right = Literal["own", "team", "items", "accounts"]
RIGHTS: dict[Role, frozenset[Right]] = {
    "learner": frozenset({"own"}),
    "manager": frozenset({"own", "team"}),
    "author": frozenset({"own", "items"}),
    "admin": frozenset({"own", "team", "items", "accounts"}),
}
SESSION_LIFETIME = timedelta(days=14)
LOGIN_LINK_LIFETIME = timedelta(hours=24)
MAX_FAILED_LOGINS = 5  # per account, and per address, in LOGIN_WINDOW
LOGIN_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 12


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    username: str
    display_name: str
    role: Role
    has_password: bool = False


Access = Literal["public", "secret-link", "own", "team", "items", "accounts"]
"""What a route asks of the asker, weakest first: nobody ("public"); a secret in the URL that the service checks
("secret-link": the calendar feed, an invitation); a signed-in account working on its own data ("own"); the "team",
"items" or "accounts" right."""
ACCESS: tuple[Access, ...] = ("public", "secret-link", "own", "team", "items", "accounts")


def refusal(access: Access, role: str | None) -> Literal["sign-in", "forbidden"] | None:
    """Why a request is refused under a route's access rule, or None when it may go on: "sign-in" when no account
    asks (401), "forbidden" when the account lacks the right (403). Every face and the matrix test ask this."""
    if access in ("public", "secret-link"):
        return None
    if role is None:
        return "sign-in"
    if access == "own":
        return None if role in RIGHTS else "forbidden"
    return None if may(role, cast(Right, access)) else "forbidden"


def may(role: str, right: Right) -> bool:
    """Whether a role holds a right (an unknown role holds none)."""
    if role not in RIGHTS:
        return False
    return right in RIGHTS[role]


def check_role(value: str) -> Role:
    if value not in ROLES:
        raise InvalidInput(f"unknown role {value!r}; choose one of: {', '.join(ROLES)}", field="role")
    return value


def check_username(value: str) -> str:
    name = value.strip().lower()
    if not 3 <= len(name) <= 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InvalidInput("a username has 3-64 letters, digits or . _ - @", field="username")
    return name


def check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(value) > 1024:
        raise InvalidInput("a password has at most 1024 characters", field="password")
    return value


Scope = Literal["read", "write"]
SCOPES: tuple[Scope, ...] = ("read", "write")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_scopes(values: list[str]) -> list[Scope]:
    """A token's scopes: "read" (GET only) and/or "write"; at least one."""
    chosen = [s for s in SCOPES if s in values]
    unknown = [v for v in values if v not in SCOPES]
    if unknown or not chosen:
        raise InvalidInput(
            f"token scopes are read and/or write, not {unknown or values!r}"[:200], field="scopes"
        )
    return chosen


def token_allows(scopes: frozenset[str], method: str) -> bool:
    """Whether a token with `scopes` may make a request with `method`: reading needs "read" (or "write"), anything
    that changes state needs "write". Tokens made before scopes existed carry "api": both."""
    if "api" in scopes or "write" in scopes:
        return True
    return "read" in scopes and method.upper() in SAFE_METHODS


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def bind_refusal(host: str, *, public_url: str | None, admin_with_password: bool) -> str | None:
    """Why the server may not listen on `host`, or None. Loopback is always fine (only this machine can reach it).
    Beyond it, other people can reach the sign-in page: an admin must be able to sign in with a password (a login
    link printed on a terminal does not reach them) and the public URL must be set, since the Host and Origin checks
    compare requests against it."""
    if host in LOOPBACK:
        return None
    missing = []
    if not admin_with_password:
        missing.append("an admin with a password (certprep account password owner)")
    if not public_url:
        missing.append("CERTPREP_PUBLIC_URL, the address people will use (https://certprep.example.com)")
    if not missing:
        return None
    return f"--host {host} reaches beyond this machine: first set " + " and ".join(missing)

"""Signing in: the owner created on first run with a one-time login link, passwords (Argon2), server-side sessions
with a CSRF token, throttled logins, personal access tokens for the API. Only hashes of secrets are stored.

The owner's account id is the local learner's ("local"), so what was prepared before accounts existed stays theirs.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from certprep.db import accounts as rows
from certprep.db.profile import LOCAL_LEARNER, ensure_learner
from certprep.domain.accounts import (
    LOGIN_LINK_LIFETIME,
    LOGIN_WINDOW,
    MAX_FAILED_LOGINS,
    SESSION_LIFETIME,
    Account,
    check_password,
    check_role,
    check_scopes,
    check_username,
    may,
)
from certprep.errors import Forbidden, InvalidInput, NotFound, NotSignedIn, PolicyViolation, Throttled
from certprep.services.database import Database

HASHER = PasswordHasher()  # argon2id with the library's defaults (RFC 9106 low-memory profile)
TOKEN_PREFIX = "cpat_"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the cookie value (shown once) and its CSRF token."""

    account: Account
    cookie: str
    csrf: str


@dataclass(frozen=True, slots=True)
class Who:
    """The account behind a request and, for a browser session, its CSRF token ("" for an access token)."""

    account: Account
    csrf: str
    via: str  # "session" | "token"
    scopes: frozenset[str] = frozenset()  # a token's scopes ("read", "write"); empty for a session


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def first_run(db: Database, *, now: datetime) -> str | None:
    """On a fresh install: create the owner (admin, the local learner's id) and return a one-time login link token;
    None when an account exists already."""
    with db.transaction() as session:
        if rows.account_count(session):
            return None
        ensure_learner(session, LOCAL_LEARNER, now=now)
        rows.add_account(session, LOCAL_LEARNER, "owner", "admin", None, now)
        return _link(session, LOCAL_LEARNER, now)


def login_link(db: Database, *, account_id: str, now: datetime) -> str:
    """A new one-time login link token for an account (for the owner's `certprep login-link`, or an invitation)."""
    with db.transaction() as session:
        if rows.account_row(session, account_id) is None:
            raise NotFound(f"no account {account_id!r}", account=account_id)
        return _link(session, account_id, now)


def _link(session: object, account_id: str, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    rows.add_session(
        session,  # type: ignore[arg-type]
        digest=digest(token),
        account_id=account_id,
        kind="link",
        csrf="",
        now=now,
        expires_at=now + LOGIN_LINK_LIFETIME,
    )
    return token


def new_session(session: object, account_id: str, now: datetime) -> tuple[str, str]:
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    rows.add_session(
        session,  # type: ignore[arg-type]
        digest=digest(cookie),
        account_id=account_id,
        kind="session",
        csrf=csrf,
        now=now,
        expires_at=now + SESSION_LIFETIME,
    )
    return cookie, csrf


def use_login_link(db: Database, *, token: str, now: datetime) -> SignedIn:
    """Exchange a one-time link for a session; a used, expired or unknown link is refused alike."""
    with db.transaction() as session:
        row = rows.session_row(session, digest(token))
        if row is None or row.kind != "link" or row.ended_at is not None or row.expires_at <= now:
            raise NotSignedIn("this login link is not valid (used, expired or unknown): ask for a new one")
        row.ended_at = now
        account = rows.account_row(session, row.account_id)
        assert account is not None
        cookie, csrf = new_session(session, account.id, now)
        return SignedIn(rows.to_account(account), cookie, csrf)


def login(db: Database, *, username: str, password: str, address: str, now: datetime) -> SignedIn:
    """Sign in with a password; after MAX_FAILED_LOGINS failures in LOGIN_WINDOW for the name or the address, wait."""
    name = username.strip().lower()[:64]
    with db.transaction() as session:
        by_name, by_address = rows.recent_failures(
            session, username=name, address=address, since=now - LOGIN_WINDOW
        )
        if by_name >= MAX_FAILED_LOGINS or by_address >= MAX_FAILED_LOGINS:
            raise Throttled("too many failed logins: wait 15 minutes and try again")
        row = rows.account_by_name(session, name)
        ok = False
        if row is not None and row.password_hash and not row.disabled:
            try:
                ok = HASHER.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            HASHER.hash(password)  # the same work either way: the time does not say whether the name exists
        if not ok or row is None:
            rows.add_failure(session, name, address, now)
        else:
            cookie, csrf = new_session(session, row.id, now)  # a new session id at every login (no fixation)
            return SignedIn(rows.to_account(row), cookie, csrf)
    raise NotSignedIn("wrong username or password")


def set_password(db: Database, *, account_id: str, password: str, now: datetime) -> None:
    check_password(password)
    with db.transaction() as session:
        row = rows.account_row(session, account_id)
        if row is None:
            raise NotFound(f"no account {account_id!r}")
        row.password_hash = HASHER.hash(password)
        rows.end_sessions(session, account_id, now)  # a new password signs every other session out


def create_account(db: Database, *, username: str, role: str, now: datetime) -> tuple[Account, str]:
    """An admin creates an account; returns it and a one-time login link token (the invitation)."""
    name, kind = check_username(username), check_role(role)
    with db.transaction() as session:
        if rows.account_by_name(session, name) is not None:
            raise InvalidInput(f"the username {name!r} is taken", field="username")
        account_id = "u-" + secrets.token_hex(8)
        ensure_learner(session, account_id, now=now)
        row = rows.add_account(session, account_id, name, kind, None, now)
        session.flush()
        return rows.to_account(row), _link(session, account_id, now)


def session_account(db: Database, *, cookie: str, now: datetime) -> Who | None:
    """The account of a session cookie that is valid now, or None."""
    with db.reading() as session:
        row = rows.session_row(session, digest(cookie))
        if row is None or row.kind != "session" or row.ended_at is not None or row.expires_at <= now:
            return None
        account = rows.account_row(session, row.account_id)
        if account is None or account.disabled:
            return None
        return Who(rows.to_account(account), row.csrf, "session")


def logout(db: Database, *, cookie: str, now: datetime) -> None:
    with db.transaction() as session:
        row = rows.session_row(session, digest(cookie))
        if row is not None and row.ended_at is None:
            row.ended_at = now


def create_token(db: Database, *, account_id: str, name: str, scopes: list[str], now: datetime) -> str:
    """A personal access token (shown once; only its hash is kept)."""
    if not 1 <= len(name.strip()) <= 100:
        raise InvalidInput("a token needs a name of 1-100 characters", field="name")
    scopes = list(check_scopes(scopes))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.transaction() as session:
        rows.add_token(
            session, digest=digest(token), account_id=account_id, name=name.strip(), scopes=scopes, now=now
        )
    return token


def token_account(db: Database, *, token: str) -> Who | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    with db.reading() as session:
        row = rows.token_row(session, digest(token))
        if row is None or row.revoked_at is not None:
            return None
        account = rows.account_row(session, row.account_id)
        if account is None or account.disabled:
            return None
        return Who(rows.to_account(account), "", "token", frozenset(row.scopes))


def revoke_token(db: Database, *, account_id: str, token: str, now: datetime) -> None:
    with db.transaction() as session:
        row = rows.token_row(session, digest(token))
        if row is None or row.account_id != account_id:
            raise NotFound("no such token")
        row.revoked_at = now


@dataclass(frozen=True, slots=True)
class AccountLine:
    """An account as the admin page lists it."""

    account: Account
    disabled: bool
    created_at: datetime


def _admin(actor: Account) -> None:
    if not may(actor.role, "accounts"):
        raise Forbidden("only an admin manages accounts")


def list_accounts(db: Database, *, actor: Account) -> list[AccountLine]:
    _admin(actor)
    with db.reading() as session:
        return [AccountLine(rows.to_account(r), r.disabled, r.created_at) for r in rows.all_accounts(session)]


def _other_admins(session: Any, account_id: str) -> int:
    """Admins left, active, besides `account_id`."""
    return len(
        [r for r in rows.all_accounts(session) if r.role == "admin" and not r.disabled and r.id != account_id]
    )


def change_account(
    db: Database,
    *,
    actor: Account,
    account_id: str,
    role: str | None = None,
    disabled: bool | None = None,
    now: datetime,
) -> Account:
    """An admin changes an account's role or disables it (a disabled account's sessions end); the last admin stays."""
    _admin(actor)
    kind = check_role(role) if role is not None else None
    with db.transaction() as session:
        row = rows.account_row(session, account_id)
        if row is None:
            raise NotFound(f"no account {account_id[:64]!r}", account=account_id[:64])
        losing_admin = row.role == "admin" and ((kind is not None and kind != "admin") or disabled)
        if losing_admin and not _other_admins(session, row.id):
            raise PolicyViolation("this is the last admin: make another admin first")
        if kind is not None:
            row.role = kind
        if disabled is not None:
            row.disabled = disabled
            if disabled:
                rows.end_sessions(session, row.id, now)
        return rows.to_account(row)


def export_data(db: Database, *, account_id: str) -> dict[str, list[dict[str, object]]]:
    """Everything stored about an account, table by table (secrets and their hashes left out)."""
    with db.reading() as session:
        return rows.rows_of_account(session, account_id)


def delete_account(db: Database, *, actor: Account, account_id: str, confirm: str) -> None:
    """Delete an account and every row of its preparation; the owner confirms with the username. The last admin
    stays (make another admin first)."""
    if actor.id != account_id:
        _admin(actor)
    with db.transaction() as session:
        row = rows.account_row(session, account_id)
        if row is None:
            raise NotFound(f"no account {account_id[:64]!r}", account=account_id[:64])
        if confirm.strip().lower() != row.username:
            raise InvalidInput("type the account's username to confirm", field="confirm")
        if row.role == "admin" and not _other_admins(session, row.id):
            raise PolicyViolation("this is the last admin: make another admin first")
        rows.delete_everything_of(session, account_id)


def get_account(db: Database, *, account_id: str | None = None, username: str | None = None) -> Account:
    """An account by id or by username (404 when none)."""
    with db.reading() as session:
        row = (
            rows.account_row(session, account_id)
            if account_id is not None
            else rows.account_by_name(session, (username or "").strip().lower())
        )
        if row is None:
            raise NotFound(
                f"no account {(account_id or username or '')[:64]!r}", account=(account_id or username)
            )
        return rows.to_account(row)


def owner(db: Database, *, now: datetime) -> Account:
    """The owner (made at the first start): whom the CLI acts as, since it opens the database itself."""
    first_run(db, now=now)
    return get_account(db, account_id=LOCAL_LEARNER)


def admin_with_password(db: Database) -> bool:
    """Whether an active admin can sign in with a password (what serving beyond loopback needs)."""
    with db.reading() as session:
        return any(
            r.role == "admin" and not r.disabled and r.password_hash for r in rows.all_accounts(session)
        )

"""Rows <-> accounts, sessions, login links, access tokens and failed logins. Adds to the session; never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from certprep.db.tables import AccountRow, ApiTokenRow, Base, LearnerRow, LoginFailureRow, SessionRow
from certprep.domain.accounts import Account


def to_account(row: AccountRow) -> Account:
    return Account(row.id, row.username, row.username, row.role, row.password_hash is not None)  # type: ignore[arg-type]


def account_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AccountRow)) or 0)


def account_row(session: Session, account_id: str) -> AccountRow | None:
    return session.get(AccountRow, account_id)


def account_by_name(session: Session, username: str) -> AccountRow | None:
    return session.scalars(select(AccountRow).where(AccountRow.username == username)).first()


def add_account(
    session: Session, account_id: str, username: str, role: str, password_hash: str | None, now: datetime
) -> AccountRow:
    row = AccountRow(
        id=account_id,
        username=username,
        role=role,
        password_hash=password_hash,
        created_at=now,
        disabled=False,
    )
    session.add(row)
    return row


def add_session(
    session: Session,
    *,
    digest: str,
    account_id: str,
    kind: str,
    csrf: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        SessionRow(
            id=digest, account_id=account_id, kind=kind, csrf=csrf, created_at=now, expires_at=expires_at
        )
    )


def session_row(session: Session, digest: str) -> SessionRow | None:
    return session.get(SessionRow, digest)


def end_sessions(session: Session, account_id: str, now: datetime, *, kind: str = "session") -> None:
    session.execute(
        update(SessionRow)
        .where(SessionRow.account_id == account_id, SessionRow.kind == kind, SessionRow.ended_at.is_(None))
        .values(ended_at=now)
    )


def add_token(
    session: Session, *, digest: str, account_id: str, name: str, scopes: list[str], now: datetime
) -> None:
    session.add(ApiTokenRow(id=digest, account_id=account_id, name=name, scopes=scopes, created_at=now))


def token_row(session: Session, digest: str) -> ApiTokenRow | None:
    return session.get(ApiTokenRow, digest)


def add_failure(session: Session, username: str, address: str, now: datetime) -> None:
    session.add(LoginFailureRow(username=username[:64], address=address[:64], at=now))


def recent_failures(session: Session, *, username: str, address: str, since: datetime) -> tuple[int, int]:
    """Failed logins since `since`: (for this account name, from this address)."""
    by_name = session.scalar(
        select(func.count()).where(LoginFailureRow.username == username, LoginFailureRow.at >= since)
    )
    by_address = session.scalar(
        select(func.count()).where(LoginFailureRow.address == address, LoginFailureRow.at >= since)
    )
    return int(by_name or 0), int(by_address or 0)


def all_accounts(session: Session) -> list[AccountRow]:
    return list(session.scalars(select(AccountRow).order_by(AccountRow.username)))


# Left out of a learner's export: secrets and their hashes (sessions and login links whole; a token's hash).
SECRET_TABLES = frozenset({"sessions", "login_failures"})
SECRET_COLUMNS = {"accounts": {"password_hash"}, "api_tokens": {"id"}, "plans": {"feed_token"}}


def _owned(account_id: str) -> list[tuple[str, Any]]:
    """Every table with a learner_id or account_id column, and the condition selecting an account's rows."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in ("learner_id", "account_id"):
            if column in table.c:
                found.append((table.name, table.c[column] == account_id))
    return found


def rows_of_account(session: Session, account_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row stored for an account, by table, as plain values (dates as ISO text)."""
    out: dict[str, list[dict[str, Any]]] = {}
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for name, where in [
        ("learners", tables["learners"].c.id == account_id),
        ("accounts", tables["accounts"].c.id == account_id),
        *_owned(account_id),
    ]:
        if name in SECRET_TABLES:
            continue
        hidden = SECRET_COLUMNS.get(name, set())
        out[name] = [
            {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in r._mapping.items()
                if k not in hidden
            }
            for r in session.execute(select(tables[name]).where(where))
        ]
    return out


def delete_everything_of(session: Session, account_id: str) -> None:
    """Delete an account's rows from every table, children first, then the account and its learner row."""
    for name, where in reversed(_owned(account_id)):
        session.execute(delete(Base.metadata.tables[name]).where(where))
    session.execute(delete(AccountRow).where(AccountRow.id == account_id))
    session.execute(delete(LearnerRow).where(LearnerRow.id == account_id))
